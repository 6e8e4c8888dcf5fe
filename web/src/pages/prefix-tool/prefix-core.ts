// The Prefix Tool's arithmetic, kept pure: which nodes answer to a hex prefix, prefix usage of
// the repeaters by size against what random keys would give (birthday arithmetic), and a free
// prefix to generate a key for. MeshCore reserves the first bytes 00 and FF.
import type { NodeItem } from '../../../../src/api/contract.js';

export type Size = 1 | 2 | 3;
export const SIZES: Size[] = [1, 2, 3];

export const isReservedFirstByte = (prefix: string) => /^(00|FF)/i.test(prefix);

/** "3a" -> "3A"; null when not 2, 4 or 6 hex digits (a longer key is cut to 6). */
export function normalizePrefix(raw: string | null | undefined): string | null {
  const s = (raw ?? '').trim().replace(/^0x/i, '').toUpperCase();
  if (!/^[0-9A-F]+$/.test(s) || s.length < 2) return null;
  if (s.length > 6) return s.length >= 8 ? s.slice(0, 6) : null;
  return s.length % 2 === 0 ? s : null;
}

export const isRelay = (n: Pick<NodeItem, 'role'>) => (n.role ?? '').toLowerCase() === 'repeater';

/** Nodes (any role) whose key starts with `prefix`. */
export function nodesWithPrefix(nodes: NodeItem[], prefix: string): NodeItem[] {
  const p = prefix.toLowerCase();
  return nodes.filter((n) => n.public_key.toLowerCase().startsWith(p));
}

export interface SizeUsage {
  size: Size;
  space: number;
  repeaters: number;
  /** Distinct prefixes of this size among the repeaters. */
  used: number;
  /** Prefixes held by two or more repeaters, and how many repeaters hold them. */
  shared: number;
  sharedNodes: number;
  /** Expected shared prefixes and P(at least one) if the same repeaters had random keys. */
  expectedShared: number;
  pAny: number;
}

/** Usage of each size if every repeater used it (observed), against random keys (theoretical). */
export function usageBySize(nodes: NodeItem[]): SizeUsage[] {
  const reps = nodes.filter(isRelay);
  return SIZES.map((size) => {
    const groups = new Map<string, number>();
    for (const n of reps) {
      const p = n.public_key.slice(0, 2 * size).toUpperCase();
      groups.set(p, (groups.get(p) ?? 0) + 1);
    }
    const shared = [...groups.values()].filter((c) => c > 1);
    // Keys avoid 00/FF as first byte: 254/256 of the space is usable.
    const space = 256 ** size;
    const usable = (space * 254) / 256;
    const n = reps.length;
    const q = 1 - 1 / usable;
    const expectedShared = usable * (1 - q ** n - (n / usable) * q ** Math.max(0, n - 1));
    let pNone = 1;
    for (let i = 1; i < n && pNone > 1e-12; i++) pNone *= 1 - i / usable;
    return {
      size,
      space,
      repeaters: n,
      used: groups.size,
      shared: shared.length,
      sharedNodes: shared.reduce((a, c) => a + c, 0),
      expectedShared,
      pAny: 1 - pNone,
    };
  });
}

const hex = (v: number, bytes: number) =>
  v
    .toString(16)
    .toUpperCase()
    .padStart(2 * bytes, '0');

function randomInt(max: number): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] % max;
}

/**
 * A random prefix of `size` bytes that no known node (any role) starts with, whose first byte is
 * not reserved; preferring one whose shorter prefixes are free too (so the node is unambiguous
 * for nodes still on smaller hashes). Null when the space is full.
 */
export function generateFreePrefix(nodes: NodeItem[], size: Size): string | null {
  const used = SIZES.map((s) => new Set(nodes.map((n) => n.public_key.slice(0, 2 * s).toUpperCase())));
  const freeAt = (p: string, s: number) => !used[s - 1].has(p.slice(0, 2 * s));
  const ok = (p: string) => !isReservedFirstByte(p) && freeAt(p, size);
  const best = (p: string) => ok(p) && SIZES.every((s) => s > size || freeAt(p, s));
  const space = 256 ** size;
  if (size < 3) {
    // Small spaces: list every candidate, so a nearly full space still finds one.
    const all: string[] = [];
    for (let v = 0; v < space; v++) all.push(hex(v, size));
    const pick = (list: string[]) => (list.length ? list[randomInt(list.length)] : null);
    return pick(all.filter(best)) ?? pick(all.filter(ok));
  }
  for (const test of [best, ok])
    for (let i = 0; i < 4096; i++) {
      const p = hex(randomInt(space), size);
      if (test(p)) return p;
    }
  return null;
}
