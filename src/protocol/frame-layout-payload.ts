// Payload fields of frame-layout.ts, one function per payload shape (spec §5). Offsets follow
// the payload decoders in payloads/*.ts; values are taken from the decoded payload where it
// has them, so the table says what the decoder understood.
import { ADVERT_TYPE, payloadTypeName } from './enums.js';
import type { FieldCursor } from './frame-layout-cursor.js';
import type { Packet } from './packet.js';
import type { AdvertPayload, Payload, TooShortPayload } from './payload-types.js';

/** Minimum payload length per type name, for the "too short" description (§5). */
const MIN_LEN: Record<string, number> = {
  REQ: 4,
  RESPONSE: 4,
  TXT_MSG: 4,
  PATH: 4,
  ACK: 4,
  ADVERT: 100,
  GRP_TXT: 3,
  GRP_DATA: 3,
  ANON_REQ: 35,
  TRACE: 9,
  MULTIPART: 1,
  CONTROL: 1,
};

const ciphertext = (cur: FieldCursor, what: string) =>
  cur.rest('ciphertext', 'Ciphertext', 'ciphertext', what);

function isTooShort(p: Payload): p is TooShortPayload {
  return 'error' in p && (p.error === 'too short' || p.error === 'too short for advert');
}

/** Appends the payload's fields; returns the "too short" message when the decoder gave up. */
export function layoutPayload(cur: FieldCursor, packet: Packet): string | null {
  const p = packet.payload;
  if (isTooShort(p)) {
    const min = MIN_LEN[p.type] ?? 1;
    const msg = `${p.type} payload too short: ${cur.remaining} byte${cur.remaining === 1 ? '' : 's'}, need ${min}`;
    cur.rest('payload', 'Payload', 'malformed', msg, 'truncated');
    return msg;
  }
  layoutTyped(cur, p, packet);
  cur.rest('extra', 'Extra bytes', 'data', 'not part of any field the decoder reads', 'extra');
  return null;
}

function layoutTyped(cur: FieldCursor, p: Exclude<Payload, TooShortPayload>, packet: Packet): void {
  switch (p.type) {
    case 'REQ':
    case 'RESPONSE':
    case 'TXT_MSG':
    case 'PATH':
      peer(
        cur,
        p.type === 'PATH'
          ? 'encrypted path and extra (ECDH secret unknown)'
          : 'AES-128 ciphertext (ECDH secret unknown)',
      );
      return;
    case 'ANON_REQ':
      cur.field('dest_hash', 'Destination hash', 'hash', 1, {
        value: p.destHash,
        description: 'first byte of the destination public key',
      });
      cur.field('ephemeral_pubkey', 'Sender public key', 'pubkey', 32, {
        value: p.ephemeralPubKey,
        description: "sender's Ed25519 public key",
      });
      cur.field('mac', 'MAC', 'mac', 2, { value: p.mac, description: 'HMAC-SHA256, first 2 bytes' });
      ciphertext(cur, 'AES-128 ciphertext (ECDH secret unknown)');
      return;
    case 'ACK':
      cur.field('ack_crc', 'ACK checksum', 'hash', 4, {
        value: p.extraHash,
        description: 'checksum of the acknowledged message (uint32 LE)',
      });
      cur.field('ack_attempt', 'Attempt', 'data', 1, {
        value: String(p.ackAttempt),
        description: 'retry attempt',
      });
      cur.field('ack_rand', 'Random', 'data', 1, { value: String(p.ackRand), description: 'random byte' });
      return;
    case 'ADVERT':
      advert(cur, p);
      return;
    case 'GRP_TXT':
    case 'GRP_DATA':
    case 'CHAN':
      group(cur, p);
      return;
    case 'TRACE':
      trace(cur, p);
      return;
    case 'MULTIPART':
      multipart(cur, p);
      return;
    case 'CONTROL':
      control(cur, p);
      return;
    default:
      cur.rest(
        'data',
        'Data',
        'data',
        `${payloadTypeName(packet.header.payloadType)} payload (not interpreted)`,
      );
  }
}

function peer(cur: FieldCursor, what: string): void {
  cur.field('dest_hash', 'Destination hash', 'hash', 1, {
    description: 'first byte of the destination public key',
  });
  cur.field('src_hash', 'Source hash', 'hash', 1, { description: 'first byte of the sender public key' });
  cur.field('mac', 'MAC', 'mac', 2, { description: 'HMAC-SHA256, first 2 bytes' });
  ciphertext(cur, what);
}

function advert(cur: FieldCursor, p: AdvertPayload): void {
  cur.field('pubkey', 'Public key', 'pubkey', 32, {
    value: p.pubKey,
    description: "the node's Ed25519 public key",
  });
  cur.field('timestamp', 'Timestamp', 'timestamp', 4, {
    value: String(p.timestamp),
    description: `sender clock: ${p.timestampISO}`,
  });
  const sig = p.signatureValid === undefined ? 'not checked' : p.signatureValid ? 'verified' : 'INVALID';
  cur.field('signature', 'Signature', 'signature', 64, {
    value: p.signature,
    description: `Ed25519 over public key, timestamp and app data: ${sig}`,
    status: p.signatureValid === false ? 'invalid' : 'ok',
  });
  const f = p.flags;
  if (!f) return;
  const role = ['none', 'chat', 'repeater', 'room', 'sensor'][f.type] ?? `type ${f.type}`;
  const has = [
    f.hasLocation && 'location',
    f.hasFeat1 && 'feat1',
    f.hasFeat2 && 'feat2',
    f.hasName && 'name',
  ].filter(Boolean);
  cur.field('flags', 'Flags', 'flags', 1, {
    value: `0x${f.raw.toString(16).padStart(2, '0')}`,
    description: `role ${role}${has.length ? `; has ${has.join(', ')}` : ''}`,
    bits: [
      { name: 'node type', mask: 0x0f, value: f.type, label: role },
      { name: 'location', mask: 0x10, value: f.hasLocation ? 1 : 0, label: String(f.hasLocation) },
      { name: 'feat1', mask: 0x20, value: f.hasFeat1 ? 1 : 0, label: String(f.hasFeat1) },
      { name: 'feat2', mask: 0x40, value: f.hasFeat2 ? 1 : 0, label: String(f.hasFeat2) },
      { name: 'name', mask: 0x80, value: f.hasName ? 1 : 0, label: String(f.hasName) },
    ],
  });
  // The decoder reads an optional field only when its flag is set and it fits (rule 2).
  if (p.lat !== undefined && p.lon !== undefined) {
    cur.field('lat', 'Latitude', 'location', 4, {
      value: String(p.lat),
      description: 'int32 LE / 1e6, degrees',
    });
    cur.field('lon', 'Longitude', 'location', 4, {
      value: String(p.lon),
      description: 'int32 LE / 1e6, degrees',
    });
  }
  if (p.feat1 !== undefined)
    cur.field('feat1', 'Feature 1', 'data', 2, { value: String(p.feat1), description: 'uint16 LE' });
  if (p.feat2 !== undefined)
    cur.field('feat2', 'Feature 2', 'data', 2, { value: String(p.feat2), description: 'uint16 LE' });
  if (f.hasName) {
    let end = cur.offset;
    while (end < cur.buf.length && cur.buf[end] !== 0) end++;
    cur.field('name', 'Name', 'name', end - cur.offset, {
      value: p.name ?? '',
      description: 'node name, UTF-8 up to NUL or end',
    });
  }
  if (f.type === ADVERT_TYPE.SENSOR) sensorTail(cur, p);
}

function sensorTail(cur: FieldCursor, p: AdvertPayload): void {
  let off = cur.offset;
  while (off < cur.buf.length && cur.buf[off] === 0) off++;
  cur.field('padding', 'Padding', 'data', off - cur.offset, { description: 'NUL bytes after the name' });
  if (cur.remaining < 4) return;
  cur.field('battery', 'Battery', 'data', 2, {
    value: p.battery_mv === undefined ? cur.hex(2) : `${p.battery_mv} mV`,
    description: 'sensor battery, uint16 LE mV (ignored outside 1–10000)',
  });
  cur.field('temperature', 'Temperature', 'data', 2, {
    value: p.temperature_c === undefined ? cur.hex(2) : `${p.temperature_c} °C`,
    description: 'sensor temperature, int16 LE / 100 (ignored outside −50…100 °C)',
  });
}

function group(cur: FieldCursor, p: Extract<Payload, { channelHashHex: string }>): void {
  cur.field('channel_hash', 'Channel hash', 'hash', 1, {
    value: p.channelHashHex,
    description: 'first byte of SHA-256 of the channel key',
  });
  cur.field('mac', 'MAC', 'mac', 2, { description: 'HMAC-SHA256 over the ciphertext, first 2 bytes' });
  let what: string;
  if (p.decryptionStatus === 'decrypted') {
    what =
      p.type === 'CHAN'
        ? `AES-128-ECB, decrypted with ${p.channel}: "${p.text}"`
        : `AES-128-ECB, decrypted with ${p.channel}`;
  } else if (p.decryptionStatus === 'no_key') what = 'AES-128-ECB ciphertext: no channel key';
  else
    what = `AES-128-ECB ciphertext: decryption failed (${p.candidateKeys} candidate key${p.candidateKeys === 1 ? '' : 's'})`;
  ciphertext(cur, what);
}

function trace(cur: FieldCursor, p: Extract<Payload, { type: 'TRACE'; tag: number }>): void {
  cur.field('trace_tag', 'Tag', 'data', 4, { value: String(p.tag), description: 'trace tag, uint32 LE' });
  cur.field('auth_code', 'Auth code', 'data', 4, { value: String(p.authCode), description: 'uint32 LE' });
  cur.field('trace_flags', 'Trace flags', 'flags', 1, {
    value: String(p.traceFlags),
    description: `route hash width ${p.routeHashSize} byte${p.routeHashSize === 1 ? '' : 's'} (1 << (flags & 3))`,
  });
  p.route.forEach((hop, i) =>
    cur.field(`route_${i}`, `Route hop ${i + 1}`, 'path', p.routeHashSize, {
      value: hop,
      description: `intended relay ${i + 1}: public key prefix`,
    }),
  );
  cur.rest(
    'route_partial',
    'Partial route hop',
    'path',
    'trailing bytes shorter than one route hop (dropped)',
    'extra',
  );
}

function multipart(cur: FieldCursor, p: Extract<Payload, { type: 'MULTIPART' }>): void {
  cur.field('multipart', 'Remaining / inner type', 'flags', 1, {
    value: `${p.remaining} / ${p.innerTypeName}`,
    description: 'high nibble: parts remaining; low nibble: inner payload type',
  });
  if (p.innerAckCrc !== undefined) {
    cur.field('ack_crc', 'ACK checksum', 'hash', 4, {
      value: p.innerAckCrc,
      description: 'inner ACK checksum (uint32 LE)',
    });
    cur.field('ack_attempt', 'Attempt', 'data', 1, {
      value: String(p.innerAckAttempt),
      description: 'retry attempt',
    });
    cur.field('ack_rand', 'Random', 'data', 1, { value: String(p.innerAckRand), description: 'random byte' });
  } else cur.rest('inner', 'Inner payload', 'data', `${p.innerTypeName} payload`);
}

function control(cur: FieldCursor, p: Extract<Payload, { type: 'CONTROL' }>): void {
  cur.field('ctrl_flags', 'Control flags', 'flags', 1, {
    value: `0x${p.ctrlFlags}`,
    description: `subtype ${p.ctrlSubtype}${p.ctrlZeroHop ? ', zero hop' : ''}`,
  });
  if (p.ctrlTag === undefined) return;
  if (p.ctrlSubtype === 'DISCOVER_REQ') {
    cur.field('ctrl_filter', 'Filter', 'flags', 1, {
      value: String(p.ctrlFilter),
      description: 'node type filter',
    });
    cur.field('ctrl_tag', 'Tag', 'data', 4, { value: String(p.ctrlTag), description: 'uint32 LE' });
    if (p.ctrlSince !== undefined)
      cur.field('ctrl_since', 'Since', 'timestamp', 4, {
        value: String(p.ctrlSince),
        description: 'uint32 LE',
      });
  } else {
    cur.field('ctrl_snr', 'SNR', 'data', 1, { value: `${(p.ctrlSNR ?? 0) / 4} dB`, description: 'int8 / 4' });
    cur.field('ctrl_tag', 'Tag', 'data', 4, { value: String(p.ctrlTag), description: 'uint32 LE' });
    if (p.ctrlPubKey !== undefined) {
      cur.field('ctrl_pubkey', 'Public key', 'pubkey', p.ctrlPubKey.length / 2, {
        value: p.ctrlPubKey,
        description: 'responder key (or prefix)',
      });
    }
  }
}
