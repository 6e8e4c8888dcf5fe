// What happened to every input, per surface: each input ends in exactly one outcome (stored,
// deduplicated, rejected with its reason, an HTTP status and error code, a WebSocket reply or
// close), and every oracle violation is kept with the input that caused it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `replay`: inputs the minimiser re-sent to the pipeline while shrinking a failing one. */
export const SURFACES = [
  'direct',
  'mqtt',
  'mqtt-raw',
  'post-packets',
  'post-other',
  'get',
  'ws',
  'replay',
] as const;
export type Surface = (typeof SURFACES)[number];

/** One value per surface, each made by `make`. */
export function perSurface<T>(make: () => T): Record<Surface, T> {
  return Object.fromEntries(SURFACES.map((s) => [s, make()])) as Record<Surface, T>;
}

export type Oracle = 'crash' | 'hang' | 'http-5xx' | 'no-reason' | 'unaccounted' | 'memory' | 'server-error';

export interface Failure {
  oracle: Oracle;
  surface: Surface | 'server';
  detail: string;
  /** The input as sent (JSON-safe: buffers as base64 / hex). */
  input?: unknown;
  /** A smaller input that fails the same way, when the minimiser found one. */
  minimised?: unknown;
  file?: string;
}

export class Ledger {
  readonly sent: Record<Surface, number> = perSurface(() => 0);
  readonly outcomes: Record<Surface, Record<string, number>> = perSurface(() => ({}));
  readonly failures: Failure[] = [];
  /** Slowest single input per surface, ms. */
  readonly slowestMs: Record<Surface, number> = perSurface(() => 0);
  #maxKept = 50;

  /** One input of `surface` ended as `outcome` after `ms`. */
  note(surface: Surface, outcome: string, ms = 0): void {
    this.sent[surface]++;
    const o = this.outcomes[surface];
    o[outcome] = (o[outcome] ?? 0) + 1;
    if (ms > this.slowestMs[surface]) this.slowestMs[surface] = ms;
  }

  count(surface: Surface, prefix: string): number {
    let n = 0;
    for (const [k, v] of Object.entries(this.outcomes[surface]))
      if (k === prefix || k.startsWith(`${prefix}:`)) n += v;
    return n;
  }

  fail(f: Failure): void {
    if (this.failures.length < this.#maxKept) this.failures.push(f);
    else if (this.failures.length === this.#maxKept)
      this.failures.push({ oracle: f.oracle, surface: f.surface, detail: 'more failures not kept' });
  }

  get total(): number {
    return SURFACES.reduce((n, s) => n + this.sent[s], 0);
  }

  /** Writes each failure to `dir` (one JSON file each); returns the paths. */
  save(dir: string, seed: number): string[] {
    if (this.failures.length === 0) return [];
    mkdirSync(dir, { recursive: true });
    return this.failures.map((f, i) => {
      const file = join(dir, `seed-${seed}-failure-${i}.json`);
      writeFileSync(file, JSON.stringify({ seed, ...f }, null, 2));
      f.file = file;
      return file;
    });
  }
}
