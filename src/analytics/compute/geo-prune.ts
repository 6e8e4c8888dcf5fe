// The dry run of POST /api/admin/prune-geo-filter (spec ingest-store-api §1.12): which nodes
// have a GPS fix outside the geo filter, and how many transmissions they originated (their
// ADVERTs, the only transmissions attributed to a node). A whole pass over nodes and
// transmissions, so it runs in an analytics worker, never on the event loop.
import { geoFilterAllows, hasGpsFix, type GeoFilter } from '../../config/geo-filter.js';
import type { AnalyticsInput } from '../inputs/input.js';

export interface GeoPruneNode {
  public_key: string;
  name: string | null;
  role: string | null;
  lat: number;
  lon: number;
}

export interface GeoPrunePreview {
  /** Nodes in the store (with or without GPS). */
  nodesChecked: number;
  /** Nodes without a GPS fix: always kept (spec §1.12). */
  nodesWithoutGps: number;
  nodesOutside: number;
  /** Transmissions originated by the nodes outside (their ADVERTs). */
  transmissionsOutside: number;
  /** The nodes outside, sorted by public key (at most `limit`). */
  nodes: GeoPruneNode[];
}

export function computeGeoPrunePreview(
  input: AnalyticsInput,
  filter: GeoFilter,
  limit = 10000,
): GeoPrunePreview {
  const nodes = input.nodes;
  const outside = new Uint8Array(nodes.count);
  let withoutGps = 0;
  const list: GeoPruneNode[] = [];
  for (let i = 0; i < nodes.count; i++) {
    const lat = nodes.lat(i);
    const lon = nodes.lon(i);
    if (!hasGpsFix(lat, lon)) {
      withoutGps++;
      continue;
    }
    if (geoFilterAllows(filter, lat, lon)) continue;
    outside[i] = 1;
    list.push({ public_key: nodes.publicKey(i), name: nodes.name(i), role: nodes.role(i), lat, lon });
  }
  let transmissions = 0;
  const tx = input.tx;
  for (let r = 0; r < tx.count; r++) {
    const n = tx.advertNode(r);
    if (n >= 0 && outside[n] === 1) transmissions++;
  }
  list.sort((a, b) => (a.public_key < b.public_key ? -1 : a.public_key > b.public_key ? 1 : 0));
  return {
    nodesChecked: nodes.count,
    nodesWithoutGps: withoutGps,
    nodesOutside: list.length,
    transmissionsOutside: transmissions,
    nodes: list.slice(0, limit),
  };
}
