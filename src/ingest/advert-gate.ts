// The ADVERT quality gate (spec packet-format §5.4 item 7, ingest-store-api §1.6): an advert
// failing any rule is dropped whole (no transmission, no node) and counted by reason.
import type { Payload } from '../protocol/index.js';

export type AdvertRejectCode =
  | 'advert_payload_error'
  | 'advert_bad_pubkey'
  | 'advert_bad_location'
  | 'advert_bad_name'
  | 'advert_bad_signature';

export interface AdvertVerdict {
  code: AdvertRejectCode;
  detail: string;
}

/** CoreScope's limit on the name (characters); the decoder already truncates to 32 bytes. */
export const maxAdvertNameChars = 64;

// C0 controls (tab and newline included: the decoder keeps those, the gate does not), DEL, C1.
const controlChars = /[\u0000-\u001f\u007f-\u009f]/;
const zeroKey = /^0+$/;

/**
 * Checks a decoded ADVERT payload. `signatureValid` is read when present: the pipeline sets it
 * (only for new transmissions) when signature validation is on.
 */
export function checkAdvert(payload: Payload): AdvertVerdict | null {
  if (payload.type !== 'ADVERT' || 'error' in payload)
    return {
      code: 'advert_payload_error',
      detail: 'error' in payload ? String(payload.error) : 'not an advert',
    };
  const pk = payload.pubKey;
  if (pk.length < 16 || zeroKey.test(pk))
    return { code: 'advert_bad_pubkey', detail: 'public key is all zeros or shorter than 16 hex digits' };
  const { lat, lon } = payload;
  if (lat !== undefined && !(Number.isFinite(lat) && lat >= -90 && lat <= 90))
    return { code: 'advert_bad_location', detail: `latitude ${lat} outside [-90, 90]` };
  if (lon !== undefined && !(Number.isFinite(lon) && lon >= -180 && lon <= 180))
    return { code: 'advert_bad_location', detail: `longitude ${lon} outside [-180, 180]` };
  const name = payload.name;
  if (name !== undefined) {
    if (controlChars.test(name))
      return { code: 'advert_bad_name', detail: 'name contains control characters' };
    if ([...name].length > maxAdvertNameChars)
      return { code: 'advert_bad_name', detail: `name longer than ${maxAdvertNameChars} characters` };
  }
  if (payload.signatureValid === false)
    return { code: 'advert_bad_signature', detail: 'Ed25519 signature invalid' };
  return null;
}
