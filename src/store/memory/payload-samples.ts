// Sample transmissions per payload type (/api/audio-lab/buckets, spec ingest-store-api §4.2): for
// each type, the newest `depth` transmissions of the type (its row list, newest first), ordered by
// raw frame length, and `perType` of them picked evenly across that order. Bounded by
// 16 × depth rows whatever the dataset's size: CoreScope picks from every transmission of the
// type, which is a scan of the whole store.
import type { MemoryStore } from './memory-store.js';

export function payloadTypeSampleRows(
  store: MemoryStore,
  perType: number,
  depth: number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let type = 0; type < 16; type++) {
    const page = store.queryPackets({ types: [type], limit: depth, offset: 0 });
    const rows = page.rows;
    if (rows.length === 0) continue;
    const len = rows.map((r) => store.tx.get('rawLen', r));
    const order = rows.map((_, i) => i).sort((a, b) => len[a] - len[b] || rows[b] - rows[a]);
    const count = Math.min(perType, order.length);
    const picked: number[] = [];
    for (let i = 0; i < count; i++) picked.push(rows[order[Math.floor((i * order.length) / count)]]);
    out.set(type, picked);
  }
  return out;
}
