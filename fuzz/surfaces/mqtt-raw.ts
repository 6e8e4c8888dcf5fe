// MQTT protocol surface: malformed MQTT packets written over raw TCP to the embedded broker
// (which needs no login on loopback): CONNECTs with bad protocol names, levels and flags,
// remaining-length varints that overflow or lie, reserved packet types and flags, QoS 3,
// truncated and random frames. Topics stay outside `meshcore/`, so nothing reaches ingest; the
// oracle is that the broker stays up: the MQTT surface's own messages must all still arrive.
import { connect } from 'node:net';
import type { Rng } from '../rng.js';

function str(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length & 0xffff);
  return Buffer.concat([len, b]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0 && out.length < 4);
  return out;
}

const packet = (first: number, body: Buffer) =>
  Buffer.concat([Buffer.from([first, ...varint(body.length)]), body]);

function connectPacket(rng: Rng): Buffer {
  const name = rng.chance(0.8) ? 'MQTT' : rng.pick(['MQIsdp', 'mqtt', '', 'MQTTT', '\u0000']);
  const level = rng.chance(0.8) ? 4 : rng.pick([0, 3, 5, 6, 255]);
  const flags = rng.chance(0.8) ? 0x02 : rng.int(256);
  const id = rng.chance(0.9) ? `fuzz-raw-${rng.int(1e9)}` : 'x'.repeat(rng.pick([0, 300, 70000]));
  return packet(0x10, Buffer.concat([str(name), Buffer.from([level, flags, 0, rng.int(120)]), str(id)]));
}

/** One hostile connection's bytes: a CONNECT (valid or not), then 1-3 broken packets. */
export function rawMqttInput(rng: Rng): Buffer {
  const parts = [connectPacket(rng)];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const topic = `fuzz/${rng.int(100)}`;
    switch (rng.int(9)) {
      case 0: // remaining length that never ends / overflows
        parts.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
        break;
      case 1: // a length larger than what follows
        parts.push(Buffer.from([0x30, 0xff, 0xff, 0x7f, 0x00, 0x05, 0x61]));
        break;
      case 2: // QoS 3 publish
        parts.push(packet(0x36, Buffer.concat([str(topic), Buffer.from([0, 1]), rng.bytes(10)])));
        break;
      case 3: // reserved packet types 0 and 15
        parts.push(packet(rng.pick([0x00, 0xf0]), rng.bytes(rng.int(20))));
        break;
      case 4: // subscribe with odd filters and options
        parts.push(
          packet(
            0x82,
            Buffer.concat([
              Buffer.from([0, 1]),
              str(rng.pick(['#', '+/+/#', '', '#/x', 'a\u0000b', '$SYS/#'])),
              Buffer.from([rng.int(256)]),
            ]),
          ),
        );
        break;
      case 5: // publish with a topic length beyond the packet
        parts.push(packet(0x30, Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from(topic)])));
        break;
      case 6: // wildcard or empty topic in a publish
        parts.push(
          packet(0x30, Buffer.concat([str(rng.pick(['fuzz/#', 'fuzz/+', '', '\u0000'])), rng.bytes(8)])),
        );
        break;
      case 7: // a second CONNECT
        parts.push(connectPacket(rng));
        break;
      default: // random bytes
        parts.push(rng.bytes(1 + rng.int(64)));
    }
  }
  const all = Buffer.concat(parts);
  return rng.chance(0.2) ? all.subarray(0, rng.int(all.length)) : all;
}

/** Writes the bytes on a fresh connection; resolves with how it ended (closed by the broker or not). */
export function sendRaw(url: string, bytes: Buffer, waitMs = 100): Promise<'closed' | 'open' | 'refused'> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let done = false;
    const finish = (o: 'closed' | 'open' | 'refused') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish('open'), waitMs + 2000);
    socket.on('error', () => finish(socket.connecting ? 'refused' : 'closed'));
    socket.on('close', () => finish('closed'));
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      socket.write(bytes);
      setTimeout(() => finish('open'), waitMs);
    });
  });
}
