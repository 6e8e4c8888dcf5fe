// Linux task I/O accounting (/proc/<pid>/io, /proc/thread-self/io): cumulative bytes and
// syscalls, for /api/perf/io. Null where the file is absent (non-Linux, no accounting).
import { readFileSync } from 'node:fs';

/** Cumulative I/O counters of a process or thread, and when they were read. */
export interface IoCounters {
  atMs: number;
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
  syscr: number;
  syscw: number;
}

export function readIoCounters(path: string): IoCounters | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const v = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const readBytes = v('read_bytes');
  const writeBytes = v('write_bytes');
  if (readBytes === null || writeBytes === null) return null;
  return {
    atMs: Date.now(),
    readBytes,
    writeBytes,
    cancelledWriteBytes: v('cancelled_write_bytes') ?? 0,
    syscr: v('syscr') ?? 0,
    syscw: v('syscw') ?? 0,
  };
}
