// GRP_TXT and GRP_DATA (spec §5.5, §6.3, §6.4): channel hash, MAC, AES-128-ECB ciphertext.
import { byteHexUpper } from '../hex.js';
import type { ChannelKey } from '../keyring.js';
import type {
  ChannelTextPayload,
  GroupDataPayload,
  GroupEncryptedPayload,
  TooShortPayload,
} from '../payload-types.js';
import { isValidUtf8 } from '../text.js';
import { tooShort, u16le, u32le, type PayloadContext } from './context.js';

interface GroupText {
  senderTimestamp: number;
  text: string;
  sender?: string;
  message: string;
}

/**
 * Parses a decrypted GRP_TXT plaintext (§6.3), or returns null when it looks like garbage
 * (which makes the caller try the next key).
 */
export function parseGroupText(plain: Uint8Array): GroupText | null {
  if (plain.length < 5) return null;
  let end = 5;
  while (end < plain.length && plain[end] !== 0) end++;
  if (!isValidUtf8(plain, 5, end)) return null;
  const buf = Buffer.from(plain.buffer, plain.byteOffset, plain.length);
  const full = buf.toString('utf8', 5, end);
  let nonPrintable = 0;
  for (let i = 0; i < full.length; i++) {
    const c = full.charCodeAt(i);
    // Ingestor rule: control characters other than \n and \t, and U+FFFD, count (§6.3 step 3).
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0xfffd) nonPrintable++;
  }
  if (nonPrintable > 2) return null;
  // Sender split on the *byte* index of the first ": " (§6.3 step 4).
  let i = -1;
  for (let k = 5; k + 1 < end; k++) {
    if (plain[k] === 0x3a && plain[k + 1] === 0x20) {
      i = k - 5;
      break;
    }
  }
  let sender = '';
  let message = full;
  if (i > 0 && i < 50) {
    const prefix = buf.toString('utf8', 5, 5 + i);
    if (!/[:[\]]/.test(prefix)) {
      sender = prefix;
      message = buf.toString('utf8', 5 + i + 2, end);
    }
  }
  const out: GroupText = {
    senderTimestamp: u32le(plain, 0),
    text: sender && message ? `${sender}: ${message}` : message,
    message,
  };
  if (sender) out.sender = sender;
  return out;
}

function encrypted(
  type: 'GRP_TXT' | 'GRP_DATA',
  p: Buffer,
  ctx: PayloadContext,
  candidateKeys: number,
): GroupEncryptedPayload {
  return {
    type,
    mac: ctx.hex(1, 3),
    encryptedData: ctx.hex(3),
    channelHash: p[0],
    channelHashHex: byteHexUpper(p[0]),
    decryptionStatus: ctx.keyring && ctx.keyring.size > 0 ? 'decryption_failed' : 'no_key',
    candidateKeys,
  };
}

/** Decryption is attempted only with keys and at least 5 ciphertext bytes (§6.4). */
function candidatesFor(p: Buffer, ctx: PayloadContext): readonly ChannelKey[] {
  if (!ctx.keyring || p.length - 3 < 5) return [];
  return ctx.keyring.candidates(p[0]);
}

export function decodeGroupText(
  p: Buffer,
  ctx: PayloadContext,
): ChannelTextPayload | GroupEncryptedPayload | TooShortPayload {
  if (p.length < 3) return tooShort('GRP_TXT', ctx);
  const keys = candidatesFor(p, ctx);
  for (const key of keys) {
    const plain = key.cipher.macThenDecrypt(p.subarray(1));
    if (!plain) continue;
    const t = parseGroupText(plain);
    if (!t) continue;
    const out: ChannelTextPayload = {
      type: 'CHAN',
      channelHash: p[0],
      channelHashHex: byteHexUpper(p[0]),
      decryptionStatus: 'decrypted',
      channel: key.name,
      text: t.text,
      message: t.message,
      sender_timestamp: t.senderTimestamp,
    };
    if (t.sender !== undefined) out.sender = t.sender;
    return out;
  }
  return encrypted('GRP_TXT', p, ctx, keys.length);
}

/** GRP_DATA plaintext: data_type(u16 LE) data_len(u8) blob padding (§5.5). */
export function decodeGroupData(
  p: Buffer,
  ctx: PayloadContext,
): GroupDataPayload | GroupEncryptedPayload | TooShortPayload {
  if (p.length < 3) return tooShort('GRP_DATA', ctx);
  const keys = candidatesFor(p, ctx);
  for (const key of keys) {
    const plain = key.cipher.macThenDecrypt(p.subarray(1));
    if (!plain) continue;
    const out: GroupDataPayload = {
      type: 'GRP_DATA',
      channelHash: p[0],
      channelHashHex: byteHexUpper(p[0]),
      decryptionStatus: 'decrypted',
      // GRP_DATA channel names are not normalised (§6.4), so use the configured spelling.
      channel: key.name,
    };
    if (plain.length < 3) out.error = 'inner too short';
    else if (plain[2] > plain.length - 3) out.error = 'inner data_len exceeds buffer';
    else {
      out.dataType = u16le(plain, 0);
      out.dataLen = plain[2];
      out.decryptedBlob = Buffer.from(plain.buffer, plain.byteOffset + 3, plain[2]).toString('hex');
    }
    return out;
  }
  return encrypted('GRP_DATA', p, ctx, keys.length);
}
