// Benchmark datasets: the real fixture (copied), or a simulated scale written to SQLite by the
// dataset writer and cached under bench/.cache/<scale>-<seed>.db. The cache key is the scale,
// the seed and the generator version: DATASET_FORMAT_VERSION plus a hash of the sources that
// decide the rows (simulator, decoder, schema), so an edit there regenerates the file.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createSimulator } from '../../src/sim/index.js';
import { DATASET_FORMAT_VERSION, writeDataset, type DatasetResult } from '../../src/sim/dataset.js';

/** The real fixture, the repository's copy (test/fixtures). */
export const FIXTURE_DB = 'test/fixtures/corescope-staging.db';

export interface Dataset {
  scale: string;
  seed: number;
  path: string;
  /** Seconds to generate it in this run, or null when it came from the cache / fixture. */
  generatedS: number | null;
  /** CPU seconds (user + system) the generation used; the wall time also counts waiting for a core. */
  cpuS: number | null;
  /** Generation time recorded when the cached file was made. */
  cachedGenerationS: number | null;
  result: DatasetResult | null;
  fromCache: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** The generator version: format version + hash of the simulator, decoder and schema sources. */
export function generatorVersion(root: string): string {
  const h = createHash('sha256');
  h.update(`format ${DATASET_FORMAT_VERSION}\n`);
  const files = [
    ...sourceFiles(join(root, 'src/sim')),
    ...sourceFiles(join(root, 'src/protocol')),
    join(root, 'src/store/sqlite/schema.ts'),
    join(root, 'src/store/sqlite/migrate.ts'),
    join(root, 'src/store/sqlite/operations.ts'),
  ];
  for (const f of files) h.update(readFileSync(f));
  return `v${DATASET_FORMAT_VERSION}-${h.digest('hex').slice(0, 12)}`;
}

export function prepareDataset(
  root: string,
  scale: string,
  seed: number,
  opts: { fresh?: boolean; log: (m: string) => void },
): Dataset {
  const cacheDir = join(root, 'bench/.cache');
  mkdirSync(cacheDir, { recursive: true });
  if (scale === 'fixture') {
    const path = join(cacheDir, 'fixture.db');
    rmSync(path, { force: true });
    copyFileSync(join(root, FIXTURE_DB), path);
    chmodSync(path, 0o644);
    return {
      scale,
      seed,
      path,
      generatedS: null,
      cpuS: null,
      cachedGenerationS: null,
      result: null,
      fromCache: false,
    };
  }
  const path = join(cacheDir, `${scale}-${seed}.db`);
  const metaPath = `${path}.json`;
  const version = generatorVersion(root);
  if (!opts.fresh && existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.version === version) {
      opts.log(`dataset ${scale}-${seed}: cached (${version})`);
      return {
        scale,
        seed,
        path,
        generatedS: null,
        cpuS: meta.cpuS ?? null,
        cachedGenerationS: meta.generatedS,
        result: meta.result,
        fromCache: true,
      };
    }
  }
  opts.log(`dataset ${scale}-${seed}: generating (${version})`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let last = 0;
  const result = writeDataset(createSimulator(scale, { seed }), path, {
    onProgress: (p) => {
      if (p.elapsedMs - last < 5000) return;
      last = p.elapsedMs;
      opts.log(
        `  ${p.observations} observations, ${p.transmissions} transmissions (${Math.round(p.elapsedMs / 1000)} s)`,
      );
    },
  });
  const generatedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  writeFileSync(metaPath, JSON.stringify({ version, scale, seed, generatedS, cpuS, result }, null, 2));
  return { scale, seed, path, generatedS, cpuS, cachedGenerationS: generatedS, result, fromCache: false };
}
