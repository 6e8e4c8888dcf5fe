// Enumerations of the wire format as two-way tables (spec §2, §5.4, §5.9). Unknown values get
// explicit names (`UNKNOWN`, `type-N`) rather than a silent default, so they survive rendering.

export const ROUTE_TYPE = {
  TRANSPORT_FLOOD: 0,
  FLOOD: 1,
  DIRECT: 2,
  TRANSPORT_DIRECT: 3,
} as const;
export type RouteTypeName = keyof typeof ROUTE_TYPE;

const ROUTE_NAMES: readonly RouteTypeName[] = ['TRANSPORT_FLOOD', 'FLOOD', 'DIRECT', 'TRANSPORT_DIRECT'];

/** CoreScope's `routeTypeName` for a 2-bit route type. */
export function routeTypeName(routeType: number): RouteTypeName {
  return ROUTE_NAMES[routeType & 3];
}

/** Route types 0 and 3 carry the 4 transport-code bytes (§3). */
export function hasTransportCodes(routeType: number): boolean {
  return routeType === 0 || routeType === 3;
}

export function isDirectRoute(routeType: number): boolean {
  return routeType === 2 || routeType === 3;
}

export const PAYLOAD_TYPE = {
  REQ: 0x00,
  RESPONSE: 0x01,
  TXT_MSG: 0x02,
  ACK: 0x03,
  ADVERT: 0x04,
  GRP_TXT: 0x05,
  GRP_DATA: 0x06,
  ANON_REQ: 0x07,
  PATH: 0x08,
  TRACE: 0x09,
  MULTIPART: 0x0a,
  CONTROL: 0x0b,
  RAW_CUSTOM: 0x0f,
} as const;
export type KnownPayloadTypeName = keyof typeof PAYLOAD_TYPE;
/** 0x0C–0x0E are reserved; CoreScope names them `UNKNOWN`. */
export type PayloadTypeName = KnownPayloadTypeName | 'UNKNOWN';

const PAYLOAD_NAMES: readonly PayloadTypeName[] = (() => {
  const names: PayloadTypeName[] = new Array(16).fill('UNKNOWN');
  for (const [name, value] of Object.entries(PAYLOAD_TYPE)) names[value] = name as PayloadTypeName;
  return names;
})();

/** CoreScope's `payloadTypeName` for a 4-bit payload type (`UNKNOWN` for 12–14 and out of range). */
export function payloadTypeName(payloadType: number): PayloadTypeName {
  return (payloadType >= 0 && payloadType < 16 && PAYLOAD_NAMES[payloadType]) || 'UNKNOWN';
}

/** Numeric payload type for a name, or undefined (no silent default). */
export function payloadTypeOf(name: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(PAYLOAD_TYPE, name)
    ? PAYLOAD_TYPE[name as KnownPayloadTypeName]
    : undefined;
}

/** Advert flag low nibble: an enumerated node type, not bits (§5.4). */
export const ADVERT_TYPE = { NONE: 0, CHAT: 1, REPEATER: 2, ROOM: 3, SENSOR: 4 } as const;

const ROLE_LABELS = ['none', 'companion', 'repeater', 'room', 'sensor'] as const;
export type AdvertRole = (typeof ROLE_LABELS)[number] | `type-${number}`;

/** `advertRole` label (§5.4 rule 6); the `nodes.role` column uses these words. */
export function advertRole(type: number): AdvertRole {
  return type >= 0 && type < ROLE_LABELS.length ? ROLE_LABELS[type] : `type-${type}`;
}

/** Inverse of advertRole for the five named roles. */
export function advertTypeOf(role: string): number | undefined {
  const i = (ROLE_LABELS as readonly string[]).indexOf(role);
  return i < 0 ? undefined : i;
}

export const ADVERT_FLAG = {
  LOCATION: 0x10,
  FEAT1: 0x20,
  FEAT2: 0x40,
  NAME: 0x80,
} as const;

/** CONTROL subtype, chosen by the high nibble of payload byte 0 (§5.9). */
export type ControlSubtype = 'DISCOVER_REQ' | 'DISCOVER_RESP' | 'UNKNOWN';

export function controlSubtype(flags: number): ControlSubtype {
  const hi = flags >> 4;
  return hi === 0x8 ? 'DISCOVER_REQ' : hi === 0x9 ? 'DISCOVER_RESP' : 'UNKNOWN';
}
