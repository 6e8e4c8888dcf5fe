// Rewrites one top-level key of config.json on disk, atomically: the new text goes to a temp
// file beside it (same directory, so the rename cannot cross file systems), is fsynced, renamed
// over the original, and the directory is fsynced so the rename itself survives a crash. A
// reader (or a crash) sees the old file or the new one, never half of one.
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

type Json = Record<string, unknown>;

/**
 * Sets `key` to `value` (or removes it when `value` is undefined) in the JSON object at `path`.
 * `_comment…` keys inside the old value are kept when both old and new are objects. The file's
 * mode is kept. Throws (with the file named) when the file cannot be read, parsed or written.
 */
export function updateConfigFileKey(path: string, key: string, value: Json | undefined): void {
  const text = readFileSync(path, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`${path} is not a JSON object`);
  const obj = doc as Json;
  if (value === undefined) delete obj[key];
  else {
    const old = obj[key];
    const comments =
      typeof old === 'object' && old !== null && !Array.isArray(old)
        ? Object.fromEntries(Object.entries(old).filter(([k]) => k.startsWith('_comment')))
        : {};
    obj[key] = { ...value, ...comments };
  }
  const indent = /^\{\s*\n(\s+)"/.exec(text)?.[1] ?? '  ';
  writeFileAtomic(path, JSON.stringify(obj, null, indent.includes('\t') ? '\t' : indent.length) + '\n');
}

/** Writes `text` to `path` through a temp file + fsync + rename + directory fsync. */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // A new file gets the default mode.
  }
  const fd = openSync(tmp, 'wx', mode);
  try {
    const bytes = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}
