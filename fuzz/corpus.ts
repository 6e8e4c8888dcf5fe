// Valid material the mutators start from: the simulator's frames, observer topics and message
// bodies (packet and status), all from one seeded small-scale run.
import { createSimulator } from '../src/sim/index.js';

export interface Corpus {
  /** Raw frames, uppercase hex, as observers upload them. */
  frames: string[];
  /** `meshcore/{IATA}/{observer}/packets|status` topics. */
  topics: string[];
  /** Observer ids (64 hex digits). */
  observers: string[];
  /** Packet message bodies (JSON objects). */
  packetBodies: Record<string, unknown>[];
  /** Status message bodies. */
  statusBodies: Record<string, unknown>[];
}

/** `n` simulator messages of a seeded small scenario (deterministic for a seed). */
export function buildCorpus(seed: number, n = 3000): Corpus {
  const sim = createSimulator('small', { seed, startMs: Date.UTC(2026, 0, 1) });
  const c: Corpus = { frames: [], topics: [], observers: [], packetBodies: [], statusBodies: [] };
  const topics = new Set<string>();
  const observers = new Set<string>();
  let statuses = 0;
  for (let m = sim.next(); m && c.packetBodies.length < n; m = sim.next()) {
    topics.add(m.topic);
    observers.add(m.topic.split('/')[2]);
    const body = { ...(m.payload as unknown as Record<string, unknown>) };
    if (m.kind === 'packet') {
      c.packetBodies.push(body);
      c.frames.push(String(body.raw));
    } else if (statuses++ < 500) c.statusBodies.push(body);
  }
  c.topics = [...topics];
  c.observers = [...observers];
  return c;
}
