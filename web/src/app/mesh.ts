// One visual language: a payload type has one name and colour token everywhere; a role has one
// colour and one marker shape everywhere (map, lists, charts). Colours are CSS custom properties
// (styles/tokens.css) so both themes define them.
import { PAYLOAD_TYPE, ROUTE_TYPE, payloadTypeName, routeTypeName } from '../../../src/protocol/enums';

export { PAYLOAD_TYPE, ROUTE_TYPE, payloadTypeName, routeTypeName };

/** Operator-facing labels of the payload types (firmware names stay in the filter language). */
export const PAYLOAD_LABEL: Record<string, string> = {
  REQ: 'Request',
  RESPONSE: 'Response',
  TXT_MSG: 'Direct msg',
  ACK: 'Ack',
  ADVERT: 'Advert',
  GRP_TXT: 'Channel msg',
  GRP_DATA: 'Group data',
  ANON_REQ: 'Anon request',
  PATH: 'Path',
  TRACE: 'Trace',
  MULTIPART: 'Multipart',
  CONTROL: 'Control',
  RAW_CUSTOM: 'Raw custom',
  UNKNOWN: 'Unknown',
};

export const typeLabel = (t: number) => PAYLOAD_LABEL[payloadTypeName(t)] ?? `type ${t}`;
/** CSS colour of a payload type (var(--type-advert) …). */
export const typeColor = (t: number) => `var(--type-${payloadTypeName(t).toLowerCase().replace('_', '-')})`;

export type RoleKey = 'repeater' | 'companion' | 'room' | 'sensor' | 'observer' | 'unknown';
export function roleKey(role: string | null | undefined): RoleKey {
  const r = (role ?? '').toLowerCase();
  if (r === 'repeater' || r === 'companion' || r === 'room' || r === 'sensor' || r === 'observer') return r;
  if (r === 'chat') return 'companion';
  return 'unknown';
}
export const ROLE_LABEL: Record<RoleKey, string> = {
  repeater: 'Repeater',
  companion: 'Companion',
  room: 'Room server',
  sensor: 'Sensor',
  observer: 'Observer',
  unknown: 'Unknown role',
};
/** The marker shape of a role (never colour alone): ◆ ● ■ ▲ ★. */
export const ROLE_GLYPH: Record<RoleKey, string> = {
  repeater: '◆',
  companion: '●',
  room: '■',
  sensor: '▲',
  observer: '★',
  unknown: '○',
};
export const roleColor = (role: string | null | undefined) => `var(--role-${roleKey(role)})`;

/** Status of a node from its last-heard time and the server's thresholds (spec: per role). */
export type NodeStatus = 'active' | 'degraded' | 'silent' | 'unknown';
export interface StatusThresholds {
  infraDegradedMs: number;
  infraSilentMs: number;
  nodeDegradedMs: number;
  nodeSilentMs: number;
}
export function nodeStatus(
  role: string | null | undefined,
  lastHeardMs: number | null,
  th: StatusThresholds,
  now = Date.now(),
): { status: NodeStatus; reason: string } {
  if (lastHeardMs === null) return { status: 'unknown', reason: 'never heard' };
  const infra = roleKey(role) === 'repeater' || roleKey(role) === 'room';
  const age = now - lastHeardMs;
  const degraded = infra ? th.infraDegradedMs : th.nodeDegradedMs;
  const silent = infra ? th.infraSilentMs : th.nodeSilentMs;
  const h = (ms: number) => `${Math.round(ms / 3_600_000)} h`;
  if (age >= silent) return { status: 'silent', reason: `not heard for over ${h(silent)}` };
  if (age >= degraded) return { status: 'degraded', reason: `not heard for over ${h(degraded)}` };
  return { status: 'active', reason: `heard within ${h(degraded)}` };
}
