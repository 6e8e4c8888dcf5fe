// Scheduling priority and CPU time of the calling thread, for helper threads (broker, MQTT +
// parsing, SQLite writer, loader, analytics). On 2 busy cores they compete with the event loop,
// which must win: it serves requests and owns the serial parts of ingest and loading (dedup,
// store appends). Linux schedules threads individually, so the calling thread's nice value (its
// TID from /proc/thread-self) is changed; elsewhere, or if not permitted, nothing changes.
import { readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export const HELPER_NICE_STEP = 5;

/** This thread's id on Linux, else null. */
function threadId(): number | null {
  if (process.platform !== 'linux') return null;
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  return Number.isInteger(tid) && tid > 0 ? tid : null;
}

export function lowerThisThreadPriority(step = HELPER_NICE_STEP): void {
  try {
    const tid = threadId();
    if (tid !== null) setPriority(tid, Math.min(19, getPriority(tid) + step));
  } catch {
    // not permitted: normal priority
  }
}

/**
 * Sets this thread's nice value; false when it could not (not Linux, no procfs, or raising the
 * priority back without CAP_SYS_NICE), and the thread keeps what it had.
 */
export function setThisThreadNice(niceness: number): boolean {
  try {
    const tid = threadId();
    if (tid === null) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time this thread has used (ms; Linux /proc, 10 ms ticks), NaN elsewhere. Wall time on a
 * shared 2-core machine mostly measures the neighbours; CPU time measures the thread's work.
 */
export function threadCpuMs(): number {
  if (process.platform !== 'linux') return NaN;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, USER_HZ = 100
  } catch {
    return NaN;
  }
}
