// Frame-level decode errors (spec §13): one stable code per rule, with the byte offset where
// the rule failed. Payload-level problems are not errors; they ride on the decoded packet.

export const DECODE_ERROR_CODES = [
  'invalid_hex',
  'too_short',
  'transport_truncated',
  'missing_path_length',
  'bad_path_encoding',
  'path_too_long',
  'path_truncated',
  'payload_too_long',
  /** A decoder bug caught at the API boundary; never expected. */
  'internal_error',
] as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
  /** Byte offset into the frame (or character offset into the hex text for invalid_hex). */
  offset?: number;
}

export function decodeError(code: DecodeErrorCode, message: string, offset?: number): DecodeError {
  return offset === undefined ? { code, message } : { code, message, offset };
}
