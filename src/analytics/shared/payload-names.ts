// Payload type names as CoreScope's analytics print them (spec analytics §0 / §3.2).
const NAMES: Record<number, string> = {
  0: 'REQ',
  1: 'RESPONSE',
  2: 'TXT_MSG',
  3: 'ACK',
  4: 'ADVERT',
  5: 'GRP_TXT',
  6: 'GRP_DATA',
  7: 'ANON_REQ',
  8: 'PATH',
  9: 'TRACE',
  10: 'MULTIPART',
  11: 'CONTROL',
  15: 'RAW_CUSTOM',
};

/** The type's name, or `UNK(n)` for an unknown value (spec §3.2). */
export function payloadTypeName(type: number): string {
  return NAMES[type] ?? `UNK(${type})`;
}
