// Compare observers, the data side: every transmission one observer heard in the last 24 h (up
// to 10k, paged by what the server actually returns, since it may cap `limit` lower), and the
// diff of two such sets by hash, all in the browser (spec frontend §2.7 "Compare").
import type { PacketItem, PacketsPage } from '../../../src/api/contract';
import { api, apiPath } from '../app/api';

export const COMPARE_MAX = 10_000;
export const COMPARE_WINDOW_MS = 24 * 3_600_000;

/** The observer's transmissions since `sinceIso`, newest first, at most COMPARE_MAX. */
export async function fetchObserverPackets(
  id: string,
  sinceIso: string,
  signal?: AbortSignal,
): Promise<{ packets: PacketItem[]; total: number }> {
  const out: PacketItem[] = [];
  let total = 0;
  for (;;) {
    const page = await api<PacketsPage>(
      apiPath('/packets', { observer: id, since: sinceIso, limit: COMPARE_MAX, offset: out.length }),
      { signal },
    );
    total = page.total;
    out.push(...page.packets);
    if (page.packets.length === 0 || out.length >= Math.min(total, COMPARE_MAX)) break;
  }
  return { packets: out.slice(0, COMPARE_MAX), total };
}

export type SetKey = 'a' | 'both' | 'b';

export interface CompareDiff {
  a: PacketItem[];
  both: PacketItem[];
  b: PacketItem[];
}

/** Splits two packet lists by hash into only-A, both (A's row) and only-B; route filter first. */
export function diffByHash(a: PacketItem[], b: PacketItem[], route: number | null): CompareDiff {
  const keep = (p: PacketItem) => route === null || p.route_type === route;
  const inB = new Set(b.filter(keep).map((p) => p.hash));
  const inA = new Set<string>();
  const out: CompareDiff = { a: [], both: [], b: [] };
  for (const p of a) {
    if (!keep(p) || inA.has(p.hash)) continue;
    inA.add(p.hash);
    (inB.has(p.hash) ? out.both : out.a).push(p);
  }
  const seenB = new Set<string>();
  for (const p of b) {
    if (!keep(p) || inA.has(p.hash) || seenB.has(p.hash)) continue;
    seenB.add(p.hash);
    out.b.push(p);
  }
  return out;
}

/** Payload type -> count, largest first. */
export function typeCounts(rows: PacketItem[]): [number, number][] {
  const m = new Map<number, number>();
  for (const p of rows) m.set(p.payload_type, (m.get(p.payload_type) ?? 0) + 1);
  return [...m.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
}

/** "x %" with one decimal, or "—" when the whole is empty. */
export function pctText(part: number, whole: number): string {
  return whole === 0 ? '—' : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)} %`;
}
