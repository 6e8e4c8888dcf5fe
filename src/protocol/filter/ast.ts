// The packet filter language (spec frontend §5): its syntax tree, the names it knows (fields,
// operators, enum values, aliases: the help modal's and autocomplete's lists) and a printer
// that turns a tree back into text that parses to the same tree. Pure: no I/O, no node
// imports, so the browser imports it too.
import { PAYLOAD_TYPE, ROUTE_TYPE, type KnownPayloadTypeName, type RouteTypeName } from '../enums.js';

/** A literal on the right of an operator. */
export type FilterValue =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  /** `5m`: `seconds` = amount x the unit's seconds. */
  | { kind: 'duration'; amount: number; unit: DurationUnit; seconds: number };

export type CompareOp =
  '==' | '!=' | '>' | '<' | '>=' | '<=' | 'contains' | 'starts_with' | 'ends_with' | 'after' | 'before';

export type FilterNode =
  | { type: 'or'; left: FilterNode; right: FilterNode }
  | { type: 'and'; left: FilterNode; right: FilterNode }
  | { type: 'not'; expr: FilterNode }
  | { type: 'truthy'; field: string }
  | { type: 'compare'; field: string; op: CompareOp; value: FilterValue }
  | { type: 'between'; field: string; low: FilterValue; high: FilterValue }
  | { type: 'in'; field: string; values: FilterValue[] };

export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w';
export const DURATION_SECONDS: Readonly<Record<DurationUnit, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

export interface FieldInfo {
  name: string;
  desc: string;
}

/** Every field the language knows besides `payload.<path>` (any dot path is accepted there). */
export const FILTER_FIELDS: readonly FieldInfo[] = [
  { name: 'type', desc: 'payload type (ADVERT, GRP_TXT, TXT_MSG, ACK, ...)' },
  { name: 'route', desc: 'route type (FLOOD, DIRECT, TRANSPORT_FLOOD, TRANSPORT_DIRECT)' },
  { name: 'transport', desc: 'true for TRANSPORT_FLOOD and TRANSPORT_DIRECT' },
  { name: 'hash', desc: 'content hash (16 hex)' },
  { name: 'raw', desc: 'the raw packet as hex' },
  { name: 'size', desc: 'packet size in bytes' },
  { name: 'snr', desc: 'SNR of the shown observation (dB)' },
  { name: 'rssi', desc: 'RSSI of the shown observation (dBm)' },
  { name: 'hops', desc: 'hops in the shown observation path' },
  { name: 'observer', desc: 'observer name of the shown observation' },
  { name: 'observer_id', desc: 'observer id of the shown observation' },
  { name: 'observer_iata', desc: 'IATA region of the shown observer' },
  { name: 'iata', desc: 'alias of observer_iata' },
  { name: 'observations', desc: 'number of observations' },
  { name: 'path', desc: 'hop prefixes of the shown path joined by arrows' },
  { name: 'path_prefixes', desc: 'alias of path' },
  { name: 'routed_through', desc: 'full keys of the relays the path resolves to (unique prefixes)' },
  { name: 'payload_bytes', desc: 'payload size (size - 2 header bytes)' },
  { name: 'payload_hex', desc: 'the raw hex without the 2 header bytes' },
  { name: 'time', desc: 'first seen, epoch ms' },
  { name: 'timestamp', desc: 'alias of time' },
  { name: 'age', desc: 'seconds since first seen (age < 1h)' },
  { name: 'code1', desc: 'transport code 1 (hex), transport routes only' },
  { name: 'code2', desc: 'transport code 2 (hex), transport routes only' },
  { name: 'payload.name', desc: 'decoded: advert name' },
  { name: 'payload.lat', desc: 'decoded: latitude' },
  { name: 'payload.lon', desc: 'decoded: longitude' },
  { name: 'payload.text', desc: 'decoded: message text (decrypted messages)' },
  { name: 'payload.channel', desc: 'decoded: channel name' },
  { name: 'payload.channelHash', desc: 'decoded: channel hash byte' },
  { name: 'payload.sender', desc: 'decoded: sender name' },
  { name: 'payload.flags.repeater', desc: 'decoded: advert repeater flag' },
  { name: 'payload.flags.room', desc: 'decoded: advert room-server flag' },
  { name: 'payload.flags.hasLocation', desc: 'decoded: advert has a location' },
  { name: 'payload.destHash', desc: 'decoded: destination hash byte' },
  { name: 'payload.srcHash', desc: 'decoded: source hash byte' },
];

/** Plain field names (no payload.*): what a field token must be unless it is a payload path. */
export const FIELD_NAMES: ReadonlySet<string> = new Set(
  FILTER_FIELDS.map((f) => f.name).filter((n) => !n.startsWith('payload.')),
);

export const PAYLOAD_PATH = /^payload(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export function isFilterField(name: string): boolean {
  return FIELD_NAMES.has(name) || PAYLOAD_PATH.test(name);
}

export interface OperatorInfo {
  op: CompareOp | 'between' | 'in';
  desc: string;
  example: string;
}

export const FILTER_OPERATORS: readonly OperatorInfo[] = [
  { op: '==', desc: 'equal (case-insensitive; type/route aliases)', example: 'type == ADVERT' },
  { op: '!=', desc: 'not equal', example: 'type != ACK' },
  { op: '>', desc: 'greater than (numeric)', example: 'snr > 5' },
  { op: '<', desc: 'less than (numeric)', example: 'age < 1h' },
  { op: '>=', desc: 'greater or equal', example: 'hops >= 2' },
  { op: '<=', desc: 'less or equal', example: 'size <= 100' },
  { op: 'contains', desc: 'substring (case-insensitive)', example: 'payload.name contains "Gilroy"' },
  { op: 'starts_with', desc: 'prefix (case-insensitive)', example: 'hash starts_with "8a91"' },
  { op: 'ends_with', desc: 'suffix (case-insensitive)', example: 'hash ends_with "ff"' },
  { op: 'after', desc: 'later than (ISO date or epoch)', example: 'time after "2026-05-01"' },
  { op: 'before', desc: 'earlier than (ISO date or epoch)', example: 'time before "2026-05-02"' },
  { op: 'between', desc: 'inclusive range (dates, epochs or numbers)', example: 'snr between -5 5' },
  { op: 'in', desc: 'one of a list (case-insensitive)', example: 'iata in ("SJC", "SFO")' },
];

export const WORD_OPERATORS: ReadonlySet<string> = new Set([
  'contains',
  'starts_with',
  'ends_with',
  'after',
  'before',
  'between',
  'in',
]);

/** The `type` and `route` values: the firmware names of the wire format's tables (enums.ts). */
export const TYPE_VALUES = Object.keys(PAYLOAD_TYPE) as readonly KnownPayloadTypeName[];
export const ROUTE_VALUES = Object.keys(ROUTE_TYPE) as readonly RouteTypeName[];

/** Display names and shorthands of payload types (lower case) -> the firmware name. */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  request: 'REQ',
  'direct msg': 'TXT_MSG',
  dm: 'TXT_MSG',
  'channel msg': 'GRP_TXT',
  channel: 'GRP_TXT',
  'group data': 'GRP_DATA',
  'anon req': 'ANON_REQ',
  raw: 'RAW_CUSTOM',
  custom: 'RAW_CUSTOM',
  'raw custom': 'RAW_CUSTOM',
};
export const ROUTE_ALIASES: Readonly<Record<string, string>> = {
  t_flood: 'TRANSPORT_FLOOD',
  t_direct: 'TRANSPORT_DIRECT',
};

// ---- printing ------------------------------------------------------------------------------

function printString(s: string): string {
  return (
    '"' +
    s
      .replace(/[\\"]/g, (c) => '\\' + c)
      .replace(/\n/g, '\\n')
      .replace(/\t/g, '\\t') +
    '"'
  );
}

export function printValue(v: FilterValue): string {
  switch (v.kind) {
    case 'string':
      return printString(v.value);
    case 'word':
      return v.value;
    case 'number':
      return String(v.value);
    case 'bool':
      return String(v.value);
    case 'duration':
      return `${v.amount}${v.unit}`;
  }
}

/** Precedence: or 1, and 2, everything else binds tighter. */
function level(n: FilterNode): number {
  return n.type === 'or' ? 1 : n.type === 'and' ? 2 : 3;
}

/** Canonical text of a tree: parses back to the same tree (and is the cache key of a filter). */
export function printFilter(n: FilterNode): string {
  const wrap = (child: FilterNode, min: number) =>
    level(child) < min ? `(${printFilter(child)})` : printFilter(child);
  switch (n.type) {
    case 'or':
      return `${wrap(n.left, 1)} || ${wrap(n.right, 2)}`;
    case 'and':
      return `${wrap(n.left, 2)} && ${wrap(n.right, 3)}`;
    case 'not':
      // `!` binds to one comparison, truthiness test or group: anything but a bare field is wrapped.
      return n.expr.type === 'truthy' ? `!${n.expr.field}` : `!(${printFilter(n.expr)})`;
    case 'truthy':
      return n.field;
    case 'compare':
      return `${n.field} ${n.op} ${printValue(n.value)}`;
    case 'between':
      return `${n.field} between ${printValue(n.low)} ${printValue(n.high)}`;
    case 'in':
      return `${n.field} in (${n.values.map(printValue).join(', ')})`;
  }
}
