// The 16×16 prefix matrix of the Hash Issues tab as plain data: one cell per first key byte
// (00..FF), with the repeaters under it and how many of its prefixes are shared, for 1-, 2- or
// 3-byte hashes. 00 and FF are reserved first bytes in MeshCore (never a valid path hash).
import type { HashCollisionNode, HashCollisionsResponse } from '../../../../../src/api/contract.js';

export type MatrixMode = 1 | 2 | 3;

export interface MatrixCell {
  /** Upper-case first byte, "3A". */
  key: string;
  reserved: boolean;
  nodes: HashCollisionNode[];
  /** Full prefix (2, 4 or 6 hex) -> the repeaters with it. */
  groups: [string, HashCollisionNode[]][];
  /** Prefixes shared by two or more repeaters. */
  collisions: number;
}

export const hex2 = (k: number) => k.toString(16).toUpperCase().padStart(2, '0');
export const isReserved = (firstByte: string) => firstByte === '00' || firstByte === 'FF';

function grouped(nodes: HashCollisionNode[], chars: number): [string, HashCollisionNode[]][] {
  const m = new Map<string, HashCollisionNode[]>();
  for (const n of nodes) {
    const p = n.public_key.slice(0, chars).toUpperCase();
    const g = m.get(p);
    if (g) g.push(n);
    else m.set(p, [n]);
  }
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** The 256 cells for `mode`, from the analytic's own cells (the 3-byte view is derived). */
export function matrixCells(d: HashCollisionsResponse, mode: MatrixMode): MatrixCell[] {
  const one = d.by_size['1'].one_byte_cells ?? {};
  const two = d.by_size['2'].two_byte_cells ?? {};
  const cells: MatrixCell[] = [];
  for (let k = 0; k < 256; k++) {
    const key = hex2(k);
    let nodes: HashCollisionNode[];
    let groups: [string, HashCollisionNode[]][];
    if (mode === 1) {
      nodes = one[key] ?? [];
      groups = nodes.length ? [[key, nodes]] : [];
    } else if (mode === 2) {
      nodes = two[key]?.group_nodes ?? [];
      groups = Object.entries(two[key]?.two_byte_map ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    } else {
      // 3-byte repeaters also answer to their first byte, so the 1-byte cells hold them.
      nodes = (one[key] ?? []).filter((n) => n.hash_size === 3);
      groups = grouped(nodes, 6);
    }
    const collisions = groups.filter(([, g]) => g.length > 1).length;
    cells.push({ key, reserved: isReserved(key), nodes, groups, collisions });
  }
  return cells;
}

/** "prefix 3A: 2 nodes, shared" — the cell's accessible name and tooltip. */
export function cellLabel(c: MatrixCell, mode: MatrixMode): string {
  const what = mode === 1 ? `prefix ${c.key}` : `first byte ${c.key}`;
  const n = `${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'}`;
  const parts = [what + ': ' + n];
  if (c.collisions > 0)
    parts.push(mode === 1 ? 'collision' : `${c.collisions} shared prefix${c.collisions === 1 ? '' : 'es'}`);
  if (c.reserved) parts.push('reserved');
  return parts.join(', ');
}

/** Occupancy class of a cell: 0, 1, 2 (2-3 nodes) or 4 (4+). */
export const occupancy = (n: number) => (n === 0 ? 0 : n === 1 ? 1 : n < 4 ? 2 : 4);
