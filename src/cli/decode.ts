// `meshlens decode`: decode one frame and print CoreScope's decode JSON, or a field-by-field
// breakdown with byte offsets (--pretty). Bad input: exit 2 with one line naming the code.
import type { Command } from './command.js';
import {
  ChannelKeyring,
  decodePacket,
  payloadJson,
  toCoreScopeJson,
  type Packet,
} from '../protocol/index.js';

const HELP = `usage: meshlens decode <hex> [--key HEX]... [--channel '#name']... [--pretty] [--no-verify]

Decodes one raw MeshCore frame (hex; spaces allowed) and prints
{"decoded": <CoreScope /api/decode shape>, "hash": <content hash>, "signatureValid"?: bool}.

  --key HEX          add a channel key (32 or 64 hex digits); repeatable
  --channel '#name'  add a hashtag channel (key = SHA-256("#name")[0..16]); repeatable
  --pretty           print a field-by-field breakdown with byte offsets instead of JSON
  --no-verify        skip the ADVERT signature check

Channel keys: only the well-known Public key plus the keys given here are tried; no key
file is loaded. Exit codes: 0 decoded, 2 bad usage or undecodable frame (one line naming
the reason code on stderr).
`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

interface Args {
  hex: string;
  keys: string[];
  channels: string[];
  pretty: boolean;
  verify: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { hex: '', keys: [], channels: [], pretty: false, verify: true };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--key' || arg === '--channel') {
      const v = argv[++i];
      if (v === undefined) return `${arg} needs a value`;
      (arg === '--key' ? a.keys : a.channels).push(v);
    } else if (arg === '--pretty') a.pretty = true;
    else if (arg === '--no-verify') a.verify = false;
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length === 0) return 'missing <hex>';
  a.hex = positional.join('');
  return a;
}

function hexBytes(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, Math.max(0, end - start))
    .toString('hex')
    .toUpperCase();
}

function range(start: number, end: number): string {
  return end - start <= 1 ? `[${start}]` : `[${start}..${end - 1}]`;
}

/** Payload-relative field layouts (spec §5) for the types with a fixed envelope. */
function payloadFields(p: Packet): [string, number, number][] {
  const n = p.payloadBytes.length;
  switch (p.payload.type) {
    case 'REQ':
    case 'RESPONSE':
    case 'TXT_MSG':
    case 'PATH':
      return [
        ['destHash', 0, 1],
        ['srcHash', 1, 2],
        ['mac', 2, 4],
        [p.payload.type === 'PATH' ? 'pathData' : 'encryptedData', 4, n],
      ];
    case 'ANON_REQ':
      return [
        ['destHash', 0, 1],
        ['ephemeralPubKey', 1, 33],
        ['mac', 33, 35],
        ['encryptedData', 35, n],
      ];
    case 'GRP_TXT':
    case 'GRP_DATA':
    case 'CHAN':
      return [
        ['channelHash', 0, 1],
        ['mac', 1, 3],
        ['ciphertext', 3, n],
      ];
    case 'ADVERT':
      return [
        ['pubKey', 0, 32],
        ['timestamp', 32, 36],
        ['signature', 36, 100],
        ['appData', 100, n],
      ];
    case 'TRACE':
      return [
        ['tag', 0, 4],
        ['authCode', 4, 8],
        ['traceFlags', 8, 9],
        ['route', 9, n],
      ];
    case 'ACK':
      return [
        ['ackCrc', 0, 4],
        ['attempt', 4, Math.min(5, n)],
        ['random', 5, Math.min(6, n)],
      ];
    default:
      return [['payload', 0, n]];
  }
}

function pretty(p: Packet): string {
  const raw = p.raw;
  const lines: string[] = [];
  const row = (r: string, bytes: string, what: string) =>
    lines.push(
      `${r.padEnd(11)} ${(bytes.length > 24 ? bytes.slice(0, 21) + '...' : bytes).padEnd(24)} ${what}`,
    );
  const h = p.header;
  lines.push(`frame ${raw.length} bytes, content hash ${p.hash}`);
  row(
    '[0]',
    hexBytes(raw, 0, 1),
    `header: route ${h.routeTypeName} (${h.routeType}), payload ${h.payloadTypeName} (${h.payloadType}), version ${h.payloadVersion}`,
  );
  if (p.transportCodes) {
    row(
      '[1..2]',
      hexBytes(raw, 1, 3),
      `transport code1 = 0x${p.transportCodes.code1.toString(16).padStart(4, '0')}`,
    );
    row(
      '[3..4]',
      hexBytes(raw, 3, 5),
      `transport code2 = 0x${p.transportCodes.code2.toString(16).padStart(4, '0')}`,
    );
  }
  const po = p.pathLengthOffset;
  row(
    range(po, po + 1),
    hexBytes(raw, po, po + 1),
    `path length: ${p.path.hashCount} x ${p.path.hashSize}-byte entries`,
  );
  if (p.path.hashCount > 0) {
    const snrs = p.path.snrs;
    row(
      range(po + 1, p.payloadOffset),
      hexBytes(raw, po + 1, p.payloadOffset),
      snrs
        ? `SNR per completed hop: ${snrs.map((s) => `${s} dB`).join(', ')}`
        : `path hops: ${p.path.hops.join(' ')}`,
    );
  }
  lines.push(`payload ${p.payload.type}, ${p.payloadBytes.length} bytes from offset ${p.payloadOffset}:`);
  for (const [name, s, e] of payloadFields(p)) {
    if (e <= s) continue;
    row(
      range(p.payloadOffset + s, p.payloadOffset + e),
      hexBytes(raw, p.payloadOffset + s, p.payloadOffset + e),
      name,
    );
  }
  lines.push('decoded:');
  for (const [k, v] of Object.entries(payloadJson(p))) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  if (p.anomaly) lines.push(`anomaly: ${p.anomaly}`);
  return lines.join('\n') + '\n';
}

export function runDecode(argv: string[], io: Io): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`meshlens decode: usage: ${args} (try meshlens decode --help)\n`);
    return 2;
  }
  let keyring: ChannelKeyring;
  try {
    keyring = ChannelKeyring.create({ hashtags: args.channels, hexKeys: args.keys });
  } catch (err) {
    io.err(`meshlens decode: usage: ${(err as Error).message}\n`);
    return 2;
  }
  const res = decodePacket(args.hex, { keyring, verifySignatures: args.verify });
  if (!res.ok) {
    const at = res.error.offset === undefined ? '' : ` (offset ${res.error.offset})`;
    io.err(`meshlens decode: ${res.error.code}: ${res.error.message}${at}\n`);
    return 2;
  }
  const p = res.packet;
  if (args.pretty) {
    io.out(pretty(p));
    return 0;
  }
  const out: Record<string, unknown> = { decoded: toCoreScopeJson(p), hash: p.hash };
  if (p.payload.type === 'ADVERT' && 'signatureValid' in p.payload)
    out.signatureValid = p.payload.signatureValid;
  io.out(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

export const decodeCommand: Command = {
  summary: 'decode a raw MeshCore frame given as hex',
  async run(argv) {
    return runDecode(argv, {
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
    });
  },
};
