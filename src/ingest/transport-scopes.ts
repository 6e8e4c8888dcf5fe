// Transport scopes at ingest (spec ingest-store-api §1.6 "Transport scopes", packet-format §3):
// a packet on route 0 (TRANSPORT_FLOOD) or 3 (TRANSPORT_DIRECT) whose code1 is not 0000 is
// scoped; its scope is the first configured `hashRegions` name whose region code matches
// code1 ('#name'), or '' (unknown scope) when none does. Every other packet is unscoped (null).
import { TransportRegion, type Packet } from '../protocol/index.js';

const TRANSPORT_FLOOD = 0;
const TRANSPORT_DIRECT = 3;

export class TransportScopes {
  readonly #regions: TransportRegion[];

  /** `names`: config `hashRegions` (with or without the leading `#`); blanks and repeats are skipped. */
  constructor(names: readonly string[]) {
    const seen = new Set<string>();
    this.#regions = [];
    for (const raw of names) {
      const name = raw.trim();
      if (name === '' || name === '#') continue;
      const region = new TransportRegion(name);
      if (seen.has(region.name)) continue;
      seen.add(region.name);
      this.#regions.push(region);
    }
  }

  /** The configured region names, `#`-prefixed, in configuration order. */
  get names(): string[] {
    return this.#regions.map((r) => r.name);
  }

  /** transmissions.scope_name of a packet: null unscoped, '' unknown scope, '#name' matched. */
  scopeOf(packet: Packet): string | null {
    const route = packet.header.routeType;
    if (route !== TRANSPORT_FLOOD && route !== TRANSPORT_DIRECT) return null;
    const codes = packet.transportCodes;
    if (!codes || codes.code1 === 0) return null;
    const type = packet.header.payloadType;
    const payload = packet.payloadBytes;
    for (const region of this.#regions) if (region.code(type, payload) === codes.code1) return region.name;
    return '';
  }
}
