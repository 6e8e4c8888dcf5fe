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

/** Largest id a u32 column stores; 0xffffffff is the NONE sentinel (layout.ts). */
const MAX_ID = 0xfffffffe;

export function checkId(id: number, what: string): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID)
    throw new StoreError('STORE_ERR_BAD_ID', `${what} id ${id} is not a u32`);
}

export function checkTime(ms: number, what: string): void {
  if (!Number.isFinite(ms))
    throw new StoreError('STORE_ERR_BAD_TIME', `${what} is not a finite epoch-ms value`);
}

export function checkU8(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 255)
    throw new StoreError('STORE_ERR_BAD_ID', `${what} ${v} is not a byte`);
}
