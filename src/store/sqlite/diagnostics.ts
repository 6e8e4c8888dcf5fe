// Reads for the ops routes that only SQLite can answer, run in the writer thread
// (writer-worker.ts) so that no request waits on SQLite on the event loop: the dropped-packet
// sample (indexed on observer_id and node_pubkey, capped by the writer), the file's page and
// WAL figures, and the writer thread's own I/O counters (/proc/thread-self/io).
import { statSync } from 'node:fs';
import { readIoCounters, type IoCounters } from '../../util/proc-io.js';
import type { DroppedPacketQuery, StoredDroppedPacket } from '../records.js';
import type { Db } from './open.js';
import { parseTimeMs } from './time.js';

/** What the main thread may ask the writer worker to read. */
export type WriterRead =
  { kind: 'droppedPackets'; query: DroppedPacketQuery } | { kind: 'sqliteStats' } | { kind: 'threadIo' };

export interface SqliteFileStats {
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  /** PRAGMA cache_size as set (negative = KiB, positive = pages). */
  cacheSize: number;
  /** Bytes of the -wal file (0 when absent). */
  walSize: number;
  journalMode: string;
}

export type ThreadIoCounters = IoCounters;

interface DroppedRow {
  id: number;
  hash: string | null;
  raw_hex: string | null;
  reason: string;
  observer_id: string | null;
  observer_name: string | null;
  node_pubkey: string | null;
  node_name: string | null;
  dropped_at: string | null;
  ml_dropped_at_ms: number | null;
}

/** Newest first (by row id: insertion order), at most `limit`, through the column indexes. */
export function readDroppedPackets(db: Db, q: DroppedPacketQuery): StoredDroppedPacket[] {
  const where: string[] = [];
  const args: unknown[] = [];
  // Ids and keys are hex: matching the upper- and lower-case spellings keeps the BINARY
  // indexes usable (a COLLATE NOCASE comparison could not use them).
  if (q.observerId !== undefined) {
    where.push('observer_id IN (?, ?, ?)');
    args.push(q.observerId, q.observerId.toUpperCase(), q.observerId.toLowerCase());
  }
  if (q.nodePubkey !== undefined) {
    where.push('node_pubkey IN (?, ?, ?)');
    args.push(q.nodePubkey, q.nodePubkey.toUpperCase(), q.nodePubkey.toLowerCase());
  }
  const sql =
    'SELECT id, hash, raw_hex, reason, observer_id, observer_name, node_pubkey, node_name, dropped_at, ml_dropped_at_ms' +
    ` FROM dropped_packets${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, Math.max(0, Math.floor(q.limit))) as DroppedRow[];
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    hash: r.hash,
    rawHex: r.raw_hex,
    observerId: r.observer_id,
    observerName: r.observer_name,
    nodePubkey: r.node_pubkey,
    nodeName: r.node_name,
    droppedAtMs: r.ml_dropped_at_ms ?? parseTimeMs(r.dropped_at) ?? 0,
  }));
}

export function readSqliteStats(db: Db): SqliteFileStats {
  const one = (pragma: string) => db.pragma(pragma, { simple: true }) as number | string;
  let walSize = 0;
  if (db.name !== ':memory:' && db.name !== '') {
    try {
      walSize = statSync(`${db.name}-wal`).size;
    } catch {
      walSize = 0;
    }
  }
  return {
    pageSize: Number(one('page_size')),
    pageCount: Number(one('page_count')),
    freelistCount: Number(one('freelist_count')),
    cacheSize: Number(one('cache_size')),
    walSize,
    journalMode: String(one('journal_mode')),
  };
}

/** This thread's /proc/thread-self/io, or null where the kernel does not provide it. */
export function readThreadIo(): ThreadIoCounters | null {
  return readIoCounters('/proc/thread-self/io');
}

export function runWriterRead(db: Db, r: WriterRead): unknown {
  switch (r.kind) {
    case 'droppedPackets':
      return readDroppedPackets(db, r.query);
    case 'sqliteStats':
      return readSqliteStats(db);
    case 'threadIo':
      return readThreadIo();
  }
}
