import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiError, errorRegistry, notReady } from '../../src/api/errors.js';

test('docs/errors.md lists exactly the registry: code, status and message', () => {
  const rows = readFileSync('docs/errors.md', 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`(MESHLENS_ERR_\w+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => [m[1], Number(m[2]), m[3]]);
  const registry = Object.entries(errorRegistry).map(([code, d]) => [code, d.status, d.message]);
  assert.deepEqual(rows, registry);
});

test('templates fill in order; not-ready carries Retry-After', () => {
  const e = apiError('MESHLENS_ERR_BAD_PARAMETER', 'limit', 'must be integer');
  assert.equal(e.statusCode, 400);
  assert.deepEqual(e.body(), {
    error: "invalid parameter 'limit': must be integer",
    code: 'MESHLENS_ERR_BAD_PARAMETER',
  });
  const n = notReady('analytics/topology', 7);
  assert.equal(n.statusCode, 503);
  assert.deepEqual(n.headers, { 'retry-after': '7' });
  assert.equal(n.message, 'analytics/topology is not ready yet; retry in 7 s');
});
