// Lower scheduling priority for helper threads (broker, MQTT + parsing, SQLite writer, loader).
// On 2 busy cores they compete with the event loop, which must win: it serves requests and owns
// the serial parts of ingest and loading (dedup, store appends). Linux schedules threads
// individually, so the calling thread's nice value (its TID from /proc/thread-self) is raised, as
// the analytics workers do; elsewhere, or if not permitted, nothing changes.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export const HELPER_NICE_STEP = 5;

export function lowerThisThreadPriority(step = HELPER_NICE_STEP): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + step));
  } catch {
    // not permitted: normal priority
  }
}
