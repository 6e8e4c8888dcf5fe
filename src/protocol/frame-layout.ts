// Byte-by-byte layout of one frame for the packet detail's field table and hex dump (issue 11):
// every byte of the frame belongs to exactly one field, in order, so the fields are contiguous
// and cover the frame. The structure comes from the frame units of frame.ts and the values from
// decodePacket (the one decoder); this module only assigns offsets. Malformed or truncated
// parts become fields with a status, never dropped. Pure; never throws.
import { hasTransportCodes, PAYLOAD_TYPE } from './enums.js';
import type { DecodeError } from './errors.js';
import { decodeHeader, decodePathLength, decodeTransportCodes } from './frame.js';
import { asBuffer } from './hex.js';
import { decodePacket, type DecodeOptions, type Packet } from './packet.js';
import { layoutPayload } from './frame-layout-payload.js';
import { FieldCursor, type LayoutField } from './frame-layout-cursor.js';

export type { LayoutField, LayoutStatus, LayoutKind, LayoutBits } from './frame-layout-cursor.js';

export type SignatureStatus = 'verified' | 'invalid' | 'not_checked';

export interface FrameLayout {
  /** Frame length in bytes; the fields' lengths sum to it. */
  length: number;
  fields: LayoutField[];
  /** The frame-level error that stopped decodePacket (the fields then end in a malformed one). */
  error?: DecodeError;
  /** A payload shorter than its type's minimum (§5), stored but not decoded; shown even when empty. */
  payloadError?: string;
  /** ADVERT only: the Ed25519 signature check (§7). */
  signature?: SignatureStatus;
  /** GRP_TXT decrypted with a known channel key (§6.3). */
  decrypted?: { channel: string; text: string; message: string; sender?: string };
}

/** The layout of `raw` (bytes or hex text); `opts` as decodePacket (keys, signature check). */
export function frameLayout(input: Uint8Array, opts?: DecodeOptions): FrameLayout {
  const buf = asBuffer(input);
  const cur = new FieldCursor(buf);
  const decoded = decodePacket(buf, opts);
  const out: FrameLayout = { length: buf.length, fields: cur.fields };
  if (!decoded.ok) out.error = decoded.error;
  const payloadOffset = layoutFrameHead(cur, decoded.ok ? null : decoded.error);
  if (payloadOffset !== null) {
    if (decoded.ok) {
      const payloadError = layoutPayload(cur, decoded.packet);
      if (payloadError) out.payloadError = payloadError;
      describeOutcome(out, decoded.packet);
    } else {
      // Only payload_too_long fails after the path: the payload is there but not decoded.
      cur.rest('payload', 'Payload', 'malformed', `not decoded: ${decoded.error.message}`, 'malformed');
    }
  }
  // Whatever is left (after a frame-level error) is shown, marked, never hidden.
  cur.rest('unparsed', 'Not decoded', 'malformed', 'bytes after a frame-level error', 'malformed');
  return out;
}

function describeOutcome(out: FrameLayout, packet: Packet): void {
  const p = packet.payload;
  if (p.type === 'ADVERT' && !('error' in p)) {
    out.signature =
      p.signatureValid === undefined ? 'not_checked' : p.signatureValid ? 'verified' : 'invalid';
  }
  if (p.type === 'CHAN') {
    out.decrypted = { channel: p.channel, text: p.text, message: p.message };
    if (p.sender !== undefined) out.decrypted.sender = p.sender;
  }
}

const hex2 = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Header byte, transport codes, path length byte and path (§1–§4). Returns the payload offset,
 * or null when a frame-level rule failed before the payload (the rest is then unparsed).
 */
function layoutFrameHead(cur: FieldCursor, error: DecodeError | null): number | null {
  const buf = cur.buf;
  const h = decodeHeader(buf, 0);
  if ('error' in h) return null;
  const { routeType, routeTypeName, payloadType, payloadTypeName, payloadVersion } = h.value;
  cur.field('header', 'Header', 'header', 1, {
    value: hex2(buf[0]),
    description: `${routeTypeName} route, ${payloadTypeName} payload, version ${payloadVersion}`,
    bits: [
      { name: 'route type', mask: 0x03, value: routeType, label: routeTypeName },
      { name: 'payload type', mask: 0x3c, value: payloadType, label: payloadTypeName },
      { name: 'version', mask: 0xc0, value: payloadVersion, label: `v${payloadVersion}` },
    ],
  });
  if (buf.length < 2) return null;
  if (hasTransportCodes(routeType)) {
    const t = decodeTransportCodes(buf, cur.offset);
    if ('error' in t) {
      cur.rest('transport', 'Transport codes', 'transport', t.error.message, 'truncated');
      return null;
    }
    const code = (o: number) => buf.toString('hex', o, o + 2).toUpperCase();
    cur.field('transport_code1', 'Transport code 1', 'transport', 2, {
      value: code(cur.offset),
      description: `region scope code (uint16 LE ${t.value.code1})`,
    });
    cur.field('transport_code2', 'Transport code 2', 'transport', 2, {
      value: code(cur.offset),
      description: `sender's home region code (uint16 LE ${t.value.code2})`,
    });
  }
  return layoutPath(cur, payloadType === PAYLOAD_TYPE.TRACE, error);
}

function layoutPath(cur: FieldCursor, trace: boolean, error: DecodeError | null): number | null {
  const buf = cur.buf;
  const pl = decodePathLength(buf, cur.offset);
  if ('error' in pl) {
    if (cur.offset < buf.length) {
      cur.field('path_length', 'Path length', 'path_length', 1, {
        value: hex2(buf[cur.offset]),
        description: pl.error.message,
        status: 'malformed',
      });
    }
    return null;
  }
  const { hashSize, hashCount } = pl.value;
  cur.field('path_length', 'Path length', 'path_length', 1, {
    value: hex2(pl.value.raw),
    description: `${hashCount} ${trace ? 'SNR entr' + (hashCount === 1 ? 'y' : 'ies') : 'hop' + (hashCount === 1 ? '' : 's')} of ${hashSize} byte${hashSize === 1 ? '' : 's'}`,
    bits: [
      {
        name: 'hash size',
        mask: 0xc0,
        value: hashSize,
        label: `${hashSize} byte${hashSize === 1 ? '' : 's'}`,
      },
      { name: 'hop count', mask: 0x3f, value: hashCount, label: String(hashCount) },
    ],
  });
  for (let i = 0; i < hashCount; i++) {
    if (cur.remaining < hashSize) break;
    const o = cur.offset;
    const hop = buf.toString('hex', o, o + hashSize).toUpperCase();
    const snr = ((buf[o] << 24) >> 24) / 4;
    cur.field(`path_${i}`, trace ? `SNR ${i + 1}` : `Hop ${i + 1}`, 'path', hashSize, {
      value: trace && hashSize === 1 ? `${snr} dB` : hop,
      description: trace ? `SNR at completed hop ${i + 1} (int8 / 4)` : `relay ${i + 1}: public key prefix`,
    });
  }
  if (error?.code === 'path_truncated') {
    // The length byte promised more hops than the frame holds: it is the field at fault.
    const lenField = cur.fields.find((f) => f.key === 'path_length');
    if (lenField) {
      lenField.status = 'truncated';
      lenField.description += `: ${error.message}`;
    }
    cur.rest('path_rest', 'Path (truncated)', 'path', error.message, 'truncated');
    return null;
  }
  return cur.offset;
}
