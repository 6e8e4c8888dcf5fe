import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lifecycle, type LifecycleUnit } from '../../src/util/lifecycle.js';

/** Units that append "start x" / "stop x" to `events`; `fail` names what throws. */
function units(events: string[], names: string[], fail: { start?: string; stop?: string[] } = {}) {
  return names.map((name): LifecycleUnit => ({
    name,
    async start() {
      await new Promise((r) => setImmediate(r));
      if (fail.start === name) throw new Error(`${name} cannot start`);
      events.push(`start ${name}`);
    },
    stop() {
      events.push(`stop ${name}`);
      if (fail.stop?.includes(name)) throw new Error(`${name} cannot stop`);
    },
  }));
}

test('units start in the given order and stop in reverse', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  await life.start(units(events, ['db', 'writer', 'http']));
  await life.start(units(events, ['mqtt']));
  assert.deepEqual(
    life.records().map((r) => [r.name, r.state]),
    [
      ['db', 'started'],
      ['writer', 'started'],
      ['http', 'started'],
      ['mqtt', 'started'],
    ],
  );
  await life.stop();
  assert.deepEqual(events, [
    'start db',
    'start writer',
    'start http',
    'start mqtt',
    'stop mqtt',
    'stop http',
    'stop writer',
    'stop db',
  ]);
  assert.ok(life.records().every((r) => r.state === 'stopped' && r.startMs !== null && r.stopMs !== null));
});

test('a failing start stops what already started, in reverse, and rethrows', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  await assert.rejects(life.start(units(events, ['db', 'writer', 'http', 'mqtt'], { start: 'http' })), {
    message: 'http cannot start',
  });
  assert.deepEqual(events, ['start db', 'start writer', 'stop writer', 'stop db']);
  assert.deepEqual(
    life.records().map((r) => [r.name, r.state]),
    [
      ['db', 'stopped'],
      ['writer', 'stopped'],
      ['http', 'start failed'],
    ],
  );
  // Stopping afterwards is a no-op, and nothing more can start.
  await life.stop();
  assert.equal(events.length, 4);
  await assert.rejects(life.start(units(events, ['late'])), /stopped before unit 'late'/);
});

test('a synchronous throw in start is a failing start too', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  const bad: LifecycleUnit = {
    name: 'bad',
    start() {
      throw new Error('sync');
    },
    stop() {
      events.push('stop bad');
    },
  };
  await assert.rejects(life.start([...units(events, ['db']), bad]), /sync/);
  assert.deepEqual(events, ['start db', 'stop db']);
});

test('stop is idempotent: every unit stops exactly once, concurrent callers share one promise', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  await life.start(units(events, ['a', 'b']));
  const first = life.stop();
  assert.equal(life.stop(), first);
  await Promise.all([first, life.stop()]);
  await life.stop();
  assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
});

test('a throwing stop does not prevent the others; the errors are logged and collected', async () => {
  const logged: string[] = [];
  const events2: string[] = [];
  const life2 = new Lifecycle({ log: (level, m) => logged.push(`${level}: ${m}`) });
  await life2.start(units(events2, ['a', 'b', 'c', 'd'], { stop: ['c', 'a'] }));
  await assert.rejects(life2.stop(), (e: unknown) => {
    assert.ok(e instanceof AggregateError);
    assert.deepEqual(
      e.errors.map((x: Error) => x.message),
      ['c cannot stop', 'a cannot stop'],
    );
    return true;
  });
  assert.deepEqual(events2.slice(4), ['stop d', 'stop c', 'stop b', 'stop a']);
  assert.deepEqual(logged, [
    'error: stopping c failed: c cannot stop',
    'error: stopping a failed: a cannot stop',
  ]);
  assert.deepEqual(
    life2.records().map((r) => r.state),
    ['stop failed', 'stopped', 'stop failed', 'stopped'],
  );
  // The same rejected promise again; no unit is stopped twice.
  await assert.rejects(life2.stop(), AggregateError);
  assert.equal(events2.length, 8);
});

test('a single throwing stop rejects with its own error', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  await life.start(units(events, ['a', 'b'], { stop: ['b'] }));
  await assert.rejects(life.stop(), { message: 'b cannot stop' });
  assert.deepEqual(events.slice(2), ['stop b', 'stop a']);
});

test('stop while a unit is starting: that unit stops first once up, then the rest; start rejects', async () => {
  const events: string[] = [];
  const life = new Lifecycle();
  let release!: () => void;
  const slow: LifecycleUnit = {
    name: 'slow',
    async start() {
      await new Promise<void>((r) => (release = r));
      events.push('start slow');
    },
    stop() {
      events.push('stop slow');
    },
  };
  const starting = life.start([...units(events, ['db']), slow, ...units(events, ['never'])]);
  while (!release) await new Promise((r) => setImmediate(r));
  const stopping = life.stop();
  release();
  await stopping;
  await assert.rejects(starting, /stopped while unit 'slow' was starting/);
  assert.deepEqual(events, ['start db', 'start slow', 'stop slow', 'stop db']);
});

test('a stop that never settles fails after stopTimeoutMs, naming the unit; the others still stop', async () => {
  const events: string[] = [];
  const logged: string[] = [];
  const life = new Lifecycle({ stopTimeoutMs: 50, log: (level, m) => logged.push(`${level}: ${m}`) });
  const hung: LifecycleUnit = { name: 'hung', start() {}, stop: () => new Promise(() => undefined) };
  await life.start([...units(events, ['db']), hung, ...units(events, ['http'])]);
  await assert.rejects(life.stop(), /^Error: hung did not stop within 50 ms$/);
  assert.deepEqual(events, ['start db', 'start http', 'stop http', 'stop db']);
  assert.deepEqual(
    life.records().map((r) => [r.name, r.state]),
    [
      ['db', 'stopped'],
      ['hung', 'stop failed'],
      ['http', 'stopped'],
    ],
  );
  assert.deepEqual(logged, ['error: stopping hung failed: hung did not stop within 50 ms']);
});
