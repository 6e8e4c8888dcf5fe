// Store-level rejections: one stable code per rule, so the ingest layer can count them by
// reason (design: bad input never crashes and never stores garbage).

export const STORE_ERROR_CODES = [
  'STORE_ERR_BAD_HASH',
  'STORE_ERR_DUPLICATE_HASH',
  'STORE_ERR_DUPLICATE_ID',
  'STORE_ERR_UNKNOWN_TRANSMISSION',
  'STORE_ERR_BAD_ID',
  'STORE_ERR_BAD_PATH',
  'STORE_ERR_BAD_TIME',
  'STORE_ERR_ENTRY_TOO_LARGE',
  'STORE_ERR_CAPACITY',
  'STORE_ERR_STALE_VIEW',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'StoreError';
    this.code = code;
  }
}
