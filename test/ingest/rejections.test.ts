import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RejectionCounter, type RejectionSample } from '../../src/ingest/rejections.js';

test('counts by code, keeps a bounded newest-first sample, notifies listeners', () => {
  const counter = new RejectionCounter<'invalid_json' | 'oversize'>({ recentSamples: 3, excerptChars: 5 });
  const seen: RejectionSample[] = [];
  const off = counter.onReject((s) => seen.push(s));
  counter.reject('invalid_json', {
    atMs: 1,
    topic: 't',
    source: 'default',
    payload: Buffer.from('{bad\u0001json'),
  });
  counter.reject('oversize', { atMs: 2, detail: 'too big' });
  off();
  counter.reject('invalid_json', { atMs: 3 });
  counter.reject('invalid_json', { atMs: 4, payload: 'x' });
  assert.equal(counter.total, 4);
  assert.equal(counter.count('invalid_json'), 3);
  assert.equal(counter.count('oversize'), 1);
  const snap = counter.snapshot();
  assert.deepEqual(snap.byCode, { invalid_json: 3, oversize: 1 });
  assert.deepEqual(
    snap.recent.map((s) => s.atMs),
    [4, 3, 2],
  );
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[0], {
    code: 'invalid_json',
    atMs: 1,
    detail: 'invalid_json',
    topic: 't',
    source: 'default',
    excerpt: '{bad\ufffd',
  });
});

test('a throwing listener does not stop counting', () => {
  const counter = new RejectionCounter();
  counter.onReject(() => {
    throw new Error('boom');
  });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  counter.reject('x');
  counter.reject('x');
  assert.equal(counter.count('x'), 2);
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      process.off('warning', onWarning);
      assert.deepEqual(warnings, ['rejection listener failed: boom', 'rejection listener failed: boom']);
      resolve();
    }),
  );
});
