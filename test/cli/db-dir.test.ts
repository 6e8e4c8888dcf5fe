// Issue 13 risk: `--db` in a directory that does not exist silently created it and served an
// empty database. Now serve refuses (exit 1, naming the directory and the flag that creates it)
// unless --create-db-dir or config createDbDir says to create it; the default data directory
// (the README's first command) is still created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { DEMO_DB, missingDbDir } from '../../src/cli/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-dbdir-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ host: '127.0.0.1', port: 0, broker: { enabled: false } }));

/** Runs `meshlens serve ...`; SIGTERM once it listens. Exit code, stdout, stderr. */
function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['bin/meshlens.js', 'serve', '--config', config, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (d) => {
    stdout += String(d);
    // Once: a second SIGTERM ends the process at once (serve's documented behaviour), and later
    // stdout chunks would match again.
    if (!stopping && /listening on/.test(stdout)) {
      stopping = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

test('--db in a missing directory: exit 1 naming the directory and --create-db-dir; nothing created', async () => {
  const missing = join(dir, 'no-such-dir', 'sub');
  const r = await serve(['--db', join(missing, 'x.db')]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /listening/);
  assert.ok(r.stderr.includes(`the database directory ${missing} does not exist (--db `), r.stderr);
  assert.match(r.stderr, /--create-db-dir/);
  assert.equal(existsSync(join(dir, 'no-such-dir')), false);
});

test('DB_PATH in a missing directory is refused the same way', async () => {
  const r = await serve([], { DB_PATH: join(dir, 'gone', 'x.db') });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /database directory .*gone does not exist \(DB_PATH /);
  assert.equal(existsSync(join(dir, 'gone')), false);
});

test('--create-db-dir creates the directory and serves', async () => {
  const db = join(dir, 'made', 'here', 'x.db');
  const r = await serve(['--db', db, '--create-db-dir']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /listening on http:\/\//);
  assert.equal(existsSync(db), true);
});

test('config createDbDir, an existing directory and the default paths are accepted', () => {
  const load = (value: unknown) => {
    const p = join(dir, `c${Math.random()}.json`);
    writeFileSync(p, JSON.stringify(value));
    return loadConfig({ path: p, env: {} }).config;
  };
  const missing = join(dir, 'later', 'x.db');
  assert.match(missingDbDir(load({ dbPath: missing }), { help: false }, {})!, /dbPath in the config/);
  assert.equal(missingDbDir(load({ dbPath: missing, createDbDir: true }), { help: false }, {}), null);
  assert.equal(missingDbDir(load({ dbPath: join(dir, 'x.db') }), { help: false }, {}), null);
  // The first command: `npm start` = `serve --demo` (data/demo.db), and the default dbPath, from
  // a directory without data/: created unasked.
  const cwd = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), 'meshlens-fresh-')));
  try {
    assert.equal(existsSync('data'), false);
    const base = load({});
    assert.equal(missingDbDir({ ...base, dbPath: DEMO_DB }, { help: false, demo: true }, {}), null);
    assert.equal(missingDbDir({ ...base, dbPath: defaultConfig.dbPath }, { help: false }, {}), null);
    // ... but not the same path given with --db.
    assert.match(missingDbDir({ ...base, dbPath: DEMO_DB }, { help: false, db: DEMO_DB }, {})!, /--db/);
  } finally {
    process.chdir(cwd);
  }
  assert.throws(() => load({ createDbDir: 'yes' }), /createDbDir/);
});
