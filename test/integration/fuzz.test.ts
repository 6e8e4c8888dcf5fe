// The short fuzz run in `npm test` (issue 13; `npm run fuzz` is the 1,000,000-input run): the
// same engine (fuzz/engine.ts) against a real server with 24,000 inputs over every surface,
// asserting its oracles: no crash, no hang, no 5xx, no error body without a code, bounded
// memory, and every input accounted for in /api/health's counters and the stored rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from '../../fuzz/engine.js';

test('fuzz: 24,000 inputs over every surface, every oracle holds', async () => {
  const seed = 20261302;
  const report = await runFuzz({
    seed,
    count: 24_000,
    failuresDir: mkdtempSync(join(tmpdir(), 'meshlens-fuzz-failures-')),
  });
  const failures = report.failures.map((f) => `[${f.oracle}] ${f.surface}: ${f.detail.slice(0, 300)}`);
  assert.deepEqual(failures, [], `seed ${seed}: failing inputs saved in ${report.failureFiles.join(', ')}`);
  // Every surface was exercised, and the reconciliation ran its checks.
  for (const [surface, n] of Object.entries(report.sent))
    if (surface !== 'replay') assert.ok(n > 0, `${surface} sent nothing`);
  assert.equal(
    Object.values(report.sent).reduce((a, b) => a + b, 0),
    24_000,
  );
  assert.ok(report.checks.length >= 12, JSON.stringify(report.checks));
  assert.deepEqual(
    report.checks.filter((c) => !c.ok),
    [],
  );
  // The inputs reached the depths: frames stored, deduplicated and rejected by the decoder.
  assert.ok((report.outcomes.direct.stored ?? 0) > 5000, JSON.stringify(report.outcomes.direct));
  assert.ok((report.outcomes.direct.dedup ?? 0) > 100);
  assert.ok(Object.keys(report.outcomes.direct).some((k) => k.startsWith('rejected:decode_')));
  assert.ok((report.outcomes.get['http:200'] ?? 0) > 100, JSON.stringify(report.outcomes.get));
});
