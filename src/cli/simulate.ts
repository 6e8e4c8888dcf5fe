// `meshlens simulate`: runs the mesh simulator (src/sim) and publishes its observer messages to
// an MQTT broker at a chosen rate, or prints them as JSON lines; optionally writes the ground truth.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSimulator, groundTruth, PRESETS } from '../sim/index.js';
import { writeDataset } from '../sim/dataset.js';
import { parseRate, publishStream } from '../sim/mqtt-publisher.js';
import type { Command } from './command.js';

const USAGE = `usage: meshlens simulate [--scale ${Object.keys(PRESETS).join('|')}] [--seed N]
       [--broker mqtt://host:1883 [--rate 200/s|max] [--username U --password P]]
       [--out dataset.db] [--duration 6h|90m|600s] [--limit N] [--ground-truth out.json]
--out writes the whole stream into a new SQLite database (meshlens/CoreScope schema) at full speed.
Without --broker or --out, messages are printed as JSON lines ({topic, payload, rxMs}).`;

/** `6h`, `90m`, `600s`, `1d` or bare seconds, to ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new RangeError(`bad duration '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's']!;
  return Number(m[1]) * unit;
}

export const simulateCommand: Command = {
  summary: 'generate simulated mesh traffic (MQTT observer messages) deterministically',
  async run(argv) {
    let values;
    try {
      values = parseArgs({
        args: argv,
        options: {
          scale: { type: 'string', default: 'small' },
          seed: { type: 'string', default: '1' },
          broker: { type: 'string' },
          out: { type: 'string' },
          rate: { type: 'string', default: '200/s' },
          duration: { type: 'string' },
          limit: { type: 'string' },
          'ground-truth': { type: 'string' },
          username: { type: 'string' },
          password: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values;
    } catch (err) {
      process.stderr.write(`meshlens simulate: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    let sim;
    let ratePerSec: number;
    try {
      const seed = Number(values.seed);
      if (!Number.isInteger(seed)) throw new RangeError(`bad seed '${values.seed}'`);
      ratePerSec = parseRate(values.rate!);
      sim = createSimulator(values.scale!, {
        seed,
        ...(values.duration ? { durationMs: parseDuration(values.duration) } : {}),
      });
    } catch (err) {
      process.stderr.write(`meshlens simulate: ${(err as Error).message}\n`);
      return 2;
    }
    let limit = values.limit ? Number(values.limit) : Infinity;
    const stop = new AbortController();
    const onSigint = (): void => stop.abort();
    process.once('SIGINT', onSigint);
    try {
      if (values.out) {
        const r = writeDataset({ next: () => (limit-- > 0 ? sim.next() : null) }, values.out, {
          onProgress: (p) =>
            process.stderr.write(
              `\r${p.transmissions} transmissions, ${p.observations} observations (${(p.elapsedMs / 1000).toFixed(1)} s)`,
            ),
        });
        process.stderr.write(
          `\nwrote ${values.out}: ${r.transmissions} transmissions, ${r.observations} observations, ${r.nodes} nodes, ${r.observers} observers in ${(r.elapsedMs / 1000).toFixed(1)} s\n`,
        );
      } else if (values.broker) {
        const result = await publishStream(sim, {
          brokerUrl: values.broker,
          ratePerSec,
          limit,
          username: values.username,
          password: values.password,
          signal: stop.signal,
          onProgress: (n, ms) => process.stderr.write(`\rpublished ${n} (${Math.round(n / (ms / 1000))}/s)`),
        });
        process.stderr.write(
          `\npublished ${result.published} messages in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
        );
      } else {
        let n = 0;
        for (let m = sim.next(); m && n < limit && !stop.signal.aborted; m = sim.next(), n++) {
          const line = `${JSON.stringify({ topic: m.topic, payload: m.payload, rxMs: m.rxMs })}\n`;
          if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r));
        }
      }
    } catch (err) {
      process.stderr.write(`meshlens simulate: ${(err as Error).message}\n`);
      return 1;
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (values['ground-truth']) {
      writeFileSync(values['ground-truth'], JSON.stringify(groundTruth(sim)));
      process.stderr.write(`ground truth written to ${values['ground-truth']}\n`);
    }
    return 0;
  },
};
