// The pure parts of the Prefix Tool and the Hash Issues matrix (no browser): prefix parsing,
// the generated prefix (never used, never reserved, even in a nearly full space), usage by
// size against random keys, and the matrix cells of each mode.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HashCollisionNode, HashCollisionsResponse, NodeItem } from '../../src/api/contract.js';
import {
  generateFreePrefix,
  normalizePrefix,
  nodesWithPrefix,
  usageBySize,
} from '../../web/src/pages/prefix-tool/prefix-core.js';
import { cellLabel, matrixCells } from '../../web/src/pages/analytics/hash-issues/matrix-data.js';

const node = (pk: string, role = 'repeater'): NodeItem => ({ public_key: pk, role }) as unknown as NodeItem;
const hex = (v: number, n: number) => v.toString(16).padStart(n, '0');

describe('prefix core', () => {
  it('parses 2, 4 or 6 hex digits (a full key is cut to 6), rejects the rest', () => {
    assert.equal(normalizePrefix('3a'), '3A');
    assert.equal(normalizePrefix(' 0x3af1 '), '3AF1');
    assert.equal(normalizePrefix('ab'.repeat(32)), 'ABABAB');
    for (const bad of ['', '3', '3AF', 'zz', '1234567', null])
      assert.equal(normalizePrefix(bad), null, String(bad));
  });

  it('finds the nodes of a prefix, any role, any case', () => {
    const nodes = [
      node('3af1' + '0'.repeat(60)),
      node('3AF2' + '0'.repeat(60), 'companion'),
      node('3b' + '0'.repeat(62)),
    ];
    assert.equal(nodesWithPrefix(nodes, '3A').length, 2);
    assert.equal(nodesWithPrefix(nodes, '3AF1').length, 1);
  });

  it('generates a free, non-reserved prefix even when one 1-byte slot is left', () => {
    // Every first byte used except 5C.
    const nodes = Array.from({ length: 256 }, (_, i) => i)
      .filter((i) => i !== 0x5c)
      .map((i) => node(hex(i, 2) + '0'.repeat(62)));
    for (let k = 0; k < 20; k++) assert.equal(generateFreePrefix(nodes, 1), '5C');
    const two = generateFreePrefix(nodes, 2)!;
    assert.match(two, /^[0-9A-F]{4}$/);
    assert.equal(two.startsWith('5C'), true, 'prefers a prefix whose first byte is free too');
    const three = generateFreePrefix(nodes, 3)!;
    assert.ok(!/^(00|FF)/.test(three) && nodesWithPrefix(nodes, three).length === 0);
    // Full space: nothing to give.
    assert.equal(generateFreePrefix([...nodes, node('5c' + '0'.repeat(62))], 1), null);
  });

  it('counts prefixes shared by repeaters and what random keys would give', () => {
    const nodes = [
      node('aa01' + '0'.repeat(60)),
      node('aa02' + '0'.repeat(60)),
      node('bb' + '0'.repeat(62)),
      node('aa03' + '0'.repeat(60), 'companion'),
    ];
    const [one, two] = usageBySize(nodes);
    assert.deepEqual([one.repeaters, one.used, one.shared, one.sharedNodes], [3, 2, 1, 3 - 1]);
    assert.deepEqual([two.used, two.shared], [3, 0]);
    // 3 random keys in 254 first bytes: P(any shared) = 1 - (253/254)(252/254).
    assert.ok(Math.abs(one.pAny - (1 - (253 / 254) * (252 / 254))) < 1e-9);
    // E[shared] ≥ P(any shared) for a count; for so few keys they are nearly equal.
    assert.ok(one.expectedShared >= one.pAny && one.expectedShared < one.pAny * 1.01);
  });
});

describe('hash matrix cells', () => {
  const n = (pk: string, size: number): HashCollisionNode => ({
    public_key: pk + '0'.repeat(64 - pk.length),
    name: pk,
    role: 'repeater',
    lat: null,
    lon: null,
    hash_size: size,
    hash_size_inconsistent: false,
  });
  const a = n('3a01', 1);
  const b = n('3a02', 2);
  const c = n('3a0203', 3);
  const d = n('3a0204', 3);
  const one: Record<string, HashCollisionNode[]> = {};
  for (let k = 0; k < 256; k++) one[hex(k, 2).toUpperCase()] = [];
  one['3A'] = [a, b, c, d];
  const data = {
    inconsistent_nodes: [],
    by_size: {
      '1': { stats: {}, collisions: [], one_byte_cells: one },
      '2': {
        stats: {},
        collisions: [],
        two_byte_cells: {
          '3A': { group_nodes: [b], two_byte_map: { '3A02': [b] }, max_collision: 1, collision_count: 0 },
        },
      },
      '3': { stats: {}, collisions: [] },
    },
  } as unknown as HashCollisionsResponse;

  it('1-byte: every sized repeater under its first byte; reserved 00 and FF', () => {
    const cells = matrixCells(data, 1);
    assert.equal(cells.length, 256);
    const x = cells[0x3a];
    assert.equal(x.nodes.length, 4);
    assert.equal(x.collisions, 1);
    assert.equal(cellLabel(x, 1), 'prefix 3A: 4 nodes, collision');
    assert.equal(cells[0].reserved && cells[255].reserved && !cells[1].reserved, true);
    assert.equal(cellLabel(cells[0], 1), 'prefix 00: 0 nodes, reserved');
  });

  it('2-byte from two_byte_cells, 3-byte derived from the 1-byte cells', () => {
    assert.equal(matrixCells(data, 2)[0x3a].nodes.length, 1);
    const x3 = matrixCells(data, 3)[0x3a];
    assert.deepEqual(
      x3.groups.map(([p, g]) => [p, g.length]),
      [
        ['3A0203', 1],
        ['3A0204', 1],
      ],
    );
    assert.equal(x3.collisions, 0);
    assert.equal(cellLabel(x3, 3), 'first byte 3A: 2 nodes');
  });
});
