// The packet filter language (spec frontend §5): every operator, precedence, value forms,
// positioned errors, and two properties: printing a random tree parses back to the same tree,
// and no string makes the parser throw (it answers a tree or a positioned error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compileFilter,
  FILTER_FIELDS,
  FILTER_OPERATORS,
  parseFilter,
  printFilter,
  ROUTE_VALUES,
  suggestFilter,
  TYPE_VALUES,
  type FilterNode,
  type FilterValue,
} from '../../src/protocol/filter/index.js';

function ast(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message}`);
  return r.ast;
}
function error(text: string) {
  const r = parseFilter(text);
  if (r.ok) assert.fail(`${text} parsed: ${JSON.stringify(r.ast)}`);
  return r.error;
}
/** Evaluates `text` on a row given as a plain object of field values. */
function matches(text: string, row: Record<string, unknown>): boolean {
  return compileFilter(ast(text))((f) => row[f]);
}

const word = (value: string): FilterValue => ({ kind: 'word', value });
const num = (value: number): FilterValue => ({ kind: 'number', value });
const cmp = (field: string, op: string, value: FilterValue) => ({ type: 'compare', field, op, value });

test('precedence: || loosest, then &&, then prefix ! on one comparison; parentheses group', () => {
  assert.deepEqual(ast('snr > 1 || snr < 2 && hops == 3'), {
    type: 'or',
    left: cmp('snr', '>', num(1)),
    right: { type: 'and', left: cmp('snr', '<', num(2)), right: cmp('hops', '==', num(3)) },
  });
  assert.deepEqual(ast('(snr > 1 || snr < 2) && hops == 3'), {
    type: 'and',
    left: { type: 'or', left: cmp('snr', '>', num(1)), right: cmp('snr', '<', num(2)) },
    right: cmp('hops', '==', num(3)),
  });
  assert.deepEqual(ast('!type == ADVERT && transport'), {
    type: 'and',
    left: { type: 'not', expr: cmp('type', '==', word('ADVERT')) },
    right: { type: 'truthy', field: 'transport' },
  });
  assert.deepEqual(ast('a || b'.replace('a', 'transport').replace('b', 'payload.flags.room')), {
    type: 'or',
    left: { type: 'truthy', field: 'transport' },
    right: { type: 'truthy', field: 'payload.flags.room' },
  });
  // Left-associative chains.
  assert.deepEqual(ast('hops == 1 && hops == 2 && hops == 3'), {
    type: 'and',
    left: { type: 'and', left: cmp('hops', '==', num(1)), right: cmp('hops', '==', num(2)) },
    right: cmp('hops', '==', num(3)),
  });
  assert.equal(matches('!(snr > 1 || hops > 1)', { snr: 0, hops: 0 }), true);
  assert.equal(matches('snr > 1 || hops > 1 && snr > 100', { snr: 5, hops: 0 }), true);
  assert.equal(matches('(snr > 1 || hops > 1) && snr > 100', { snr: 5, hops: 0 }), false);
});

test('values: strings with escapes, negative numbers, booleans, bare words, durations', () => {
  assert.deepEqual(
    ast('payload.text == "say \\"hi\\" \\\\ now"'),
    cmp('payload.text', '==', { kind: 'string', value: 'say "hi" \\ now' }),
  );
  assert.deepEqual(ast('rssi < -90.5'), cmp('rssi', '<', num(-90.5)));
  assert.deepEqual(ast('transport == false'), cmp('transport', '==', { kind: 'bool', value: false }));
  assert.deepEqual(ast('route == t_flood'), cmp('route', '==', word('t_flood')));
  const durations: Array<[string, number]> = [
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['7d', 604800],
    ['2w', 1209600],
  ];
  for (const [text, seconds] of durations) {
    const n = ast(`age < ${text}`) as Extract<FilterNode, { type: 'compare' }>;
    assert.equal(n.value.kind, 'duration', text);
    assert.equal((n.value as Extract<FilterValue, { kind: 'duration' }>).seconds, seconds, text);
  }
  assert.equal(matches('age < 1h', { age: 3599 }), true);
  assert.equal(matches('age < 1h', { age: 3600 }), false);
});

test('== and != are case-insensitive and resolve the type and route aliases', () => {
  assert.equal(matches('type == advert', { type: 'ADVERT' }), true);
  assert.equal(matches('type == "Channel Msg"', { type: 'GRP_TXT' }), true);
  assert.equal(matches('type == dm', { type: 'TXT_MSG' }), true);
  assert.equal(matches('route == t_flood', { route: 'TRANSPORT_FLOOD' }), true);
  assert.equal(matches('route == T_DIRECT', { route: 'TRANSPORT_DIRECT' }), true);
  assert.equal(matches('type != ACK', { type: 'ADVERT' }), true);
  assert.equal(matches('type != advert', { type: 'ADVERT' }), false);
  assert.equal(matches('observer == "sjc-mesh"', { observer: 'SJC-Mesh' }), true);
  assert.equal(matches('transport == true', { transport: true }), true);
  assert.equal(matches('transport == true', { transport: false }), false);
  assert.equal(matches('snr == 5', { snr: 5 }), true);
});

test('numeric, string, temporal and list operators; a missing field makes every comparison false', () => {
  const row = { snr: 5, hops: 2, hash: '8A91BF33', time: Date.parse('2026-05-01T12:00:00Z'), iata: 'SJC' };
  const cases: Array<[string, boolean]> = [
    ['snr > 4', true],
    ['snr > 5', false],
    ['snr >= 5', true],
    ['snr < 5', false],
    ['snr <= 5', true],
    ['hash contains "bf"', true],
    ['hash starts_with "8a91"', true],
    ['hash starts_with "91"', false],
    ['hash ends_with "f33"', true],
    ['time after "2026-04-30"', true],
    ['time before "2026-04-30"', false],
    ['time after 1777000000', true], // epoch seconds on time
    ['time before 1777680000000', true], // epoch ms
    ['time between "2026-05-01" "2026-05-02"', true],
    ['time between "2026-05-02" "2026-05-01"', true], // either order
    ['snr between -5 5', true],
    ['snr between 6 9', false],
    ['iata in ("SJC", "SFO")', true],
    ['iata in (sfo, lax)', false],
    ['hops in (1, 2)', true],
    ['rssi > -100', false],
    ['rssi != 3', false],
    ['rssi contains "1"', false],
    ['rssi in (1)', false],
    ['!(rssi > -100)', true],
    ['payload.name', false],
  ];
  for (const [text, want] of cases) assert.equal(matches(text, row), want, text);
  const payload = { flags: { hasLocation: true, room: false }, name: 'ESP1 Gilroy Repeater' };
  const withPayload = (f: string) =>
    f.startsWith('payload.')
      ? f
          .split('.')
          .slice(1)
          .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], payload)
      : undefined;
  assert.equal(compileFilter(ast('payload.flags.hasLocation'))(withPayload), true);
  assert.equal(compileFilter(ast('payload.flags.room'))(withPayload), false);
  assert.equal(compileFilter(ast('payload.name contains "gilroy"'))(withPayload), true);
});

test('errors name the 0-based position and what was expected', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['snr 5', 4, /an operator after 'snr'/],
    ['snr >', 5, /a value after 'snr >'/],
    ['snr > abc', 6, /a number or duration/],
    ['(snr > 1', 8, /'\)'/],
    ['snr > 1 &&', 10, /a field name/],
    ['snr > 1)', 7, /'&&', '\|\|' or the end/],
    ['bogus == 1', 0, /a field name/],
    ['hash == 8a91bf', 8, /quoted string/],
    ['hash == deadbeef', 8, /quoted string/],
    ['age < 5x', 7, /a number or a duration/],
    ['payload.name == "open', 21, /a closing "/],
    ['snr # 1', 4, /a field, value, operator or parenthesis/],
    ['iata in SJC', 8, /'\(' after 'in'/],
    ['iata in (SJC SFO)', 13, /',' or '\)'/],
    ['time after "yesterday"', 11, /an ISO date/],
    ['', 0, /a filter expression/],
    ['   ', 0, /a filter expression/],
  ];
  for (const [text, position, expected] of cases) {
    const e = error(text);
    assert.equal(e.position, position, `${text}: ${e.message}`);
    assert.match(e.expected, expected, text);
    assert.ok(e.message.endsWith(`at ${position}`), e.message);
  }
  assert.equal(error('snr 5').message, "unexpected '5': expected an operator after 'snr' at 4");
});

test('the lists for the help modal and autocomplete', () => {
  assert.equal(TYPE_VALUES.length, 13);
  assert.deepEqual([...ROUTE_VALUES].sort(), ['DIRECT', 'FLOOD', 'TRANSPORT_DIRECT', 'TRANSPORT_FLOOD']);
  const names = FILTER_FIELDS.map((f) => f.name);
  for (const f of [
    'type',
    'route',
    'transport',
    'hash',
    'raw',
    'size',
    'snr',
    'rssi',
    'hops',
    'observer',
    'observer_id',
    'observer_iata',
    'iata',
    'observations',
    'path',
    'path_prefixes',
    'routed_through',
    'payload_bytes',
    'payload_hex',
    'time',
    'age',
    'code1',
    'code2',
    'payload.name',
  ])
    assert.ok(names.includes(f), f);
  assert.deepEqual(
    FILTER_OPERATORS.map((o) => o.op),
    [
      '==',
      '!=',
      '>',
      '<',
      '>=',
      '<=',
      'contains',
      'starts_with',
      'ends_with',
      'after',
      'before',
      'between',
      'in',
    ],
  );
  // Every operator's example parses.
  for (const o of FILTER_OPERATORS) assert.ok(parseFilter(o.example).ok, o.example);
});

// ---- properties ----------------------------------------------------------------------------

const FIELDS = FILTER_FIELDS.map((f) => f.name);
const KEYWORDS = new Set([
  'true',
  'false',
  'contains',
  'starts_with',
  'ends_with',
  'after',
  'before',
  'between',
  'in',
]);
const arbWord = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/)
  .filter((w) => !KEYWORDS.has(w) && !/^[0-9a-fA-F]{4,}$/.test(w));
const arbNumber = fc.oneof(
  fc.integer({ min: -100000, max: 100000 }),
  fc.integer({ min: -9999, max: 9999 }).map((n) => n / 4),
);
const arbValue: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((value) => ({ kind: 'string' as const, value })),
  arbWord.map((value) => ({ kind: 'word' as const, value })),
  arbNumber.map((value) => ({ kind: 'number' as const, value: Object.is(value, -0) ? 0 : value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
  fc
    .record({ amount: fc.integer({ min: 0, max: 500 }), unit: fc.constantFrom('s', 'm', 'h', 'd', 'w') })
    .map(({ amount, unit }) => ({
      kind: 'duration' as const,
      amount,
      unit,
      seconds: amount * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[unit],
    })),
);
const arbField = fc.oneof(
  fc.constantFrom(...FIELDS),
  arbWord.map((w) => `payload.${w}`),
);
const arbLeaf: fc.Arbitrary<FilterNode> = fc.oneof(
  arbField.map((field) => ({ type: 'truthy' as const, field })),
  fc.record({
    type: fc.constant('compare' as const),
    field: arbField,
    op: fc.constantFrom('==', '!=', 'contains', 'starts_with', 'ends_with' as const),
    value: arbValue,
  }),
  fc.record({
    type: fc.constant('compare' as const),
    field: arbField,
    op: fc.constantFrom('>', '<', '>=', '<=' as const),
    value: arbValue.filter((v) => v.kind === 'number' || v.kind === 'duration'),
  }),
  fc.record({
    type: fc.constant('in' as const),
    field: arbField,
    values: fc.array(arbValue, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('between' as const),
    field: arbField,
    low: arbNumber.map((value) => ({ kind: 'number' as const, value: Object.is(value, -0) ? 0 : value })),
    high: arbNumber.map((value) => ({ kind: 'number' as const, value: Object.is(value, -0) ? 0 : value })),
  }),
);
const arbTree = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbLeaf,
    fc.record({ type: fc.constant('and' as const), left: tie('node'), right: tie('node') }),
    fc.record({ type: fc.constant('or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ type: fc.constant('not' as const), expr: tie('node') }),
  ),
})).node;

test('property: a printed tree parses back to the same tree', () => {
  fc.assert(
    fc.property(arbTree, (tree) => {
      const text = printFilter(tree);
      const r = parseFilter(text);
      assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error.message}`);
      // fc.record builds null-prototype objects: compare plain copies.
      assert.deepEqual(r.ast, JSON.parse(JSON.stringify(tree)), text);
    }),
    { numRuns: 2000, seed: 11 },
  );
});

test('property: any string parses to a tree or a positioned error, never a throw', () => {
  const alphabet = fc.constantFrom(
    ...'snr type == != > < && || ! ( ) , " \\ - 1 5 . h m a b f in between payload.x contains'.split(' '),
    ' ',
    '"',
    '(',
    ')',
  );
  const texts = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')),
    fc.array(alphabet, { maxLength: 30 }).map((a) => a.join(' ')),
  );
  fc.assert(
    fc.property(texts, (text) => {
      const r = parseFilter(text);
      if (!r.ok) {
        assert.ok(
          Number.isInteger(r.error.position) && r.error.position >= 0 && r.error.position <= text.length,
          text,
        );
        assert.ok(r.error.expected.length > 0 && r.error.message.length > 0, text);
      }
    }),
    { numRuns: 5000, seed: 7 },
  );
});

test('autocomplete: fields, then operators after a field, then type/route names', () => {
  const values = (text: string, cursor?: number, keys?: string[]) =>
    suggestFilter(text, cursor, keys).suggestions.map((s) => s.value);
  assert.deepEqual(values('ob'), ['observer', 'observer_id', 'observer_iata', 'observations']);
  assert.deepEqual(
    values('snr '),
    FILTER_OPERATORS.map((o) => o.op),
  );
  assert.deepEqual(values('payload.name st'), ['starts_with']);
  assert.deepEqual(values('type == '), [...TYPE_VALUES]);
  assert.deepEqual(values('type == gr'), ['GRP_TXT', 'GRP_DATA']);
  assert.deepEqual(values('route != T'), ['TRANSPORT_FLOOD', 'TRANSPORT_DIRECT']);
  assert.deepEqual(values('type in (ADVERT, A'), ['ACK', 'ADVERT', 'ANON_REQ']);
  assert.deepEqual(values('snr > 5 && payload.p', undefined, ['pubKey', 'name']), ['payload.pubKey']);
  // The replaced span is the whole word under the cursor.
  const s = suggestFilter('type == ADV && snr > 1', 10);
  assert.deepEqual([s.replaceStart, s.replaceEnd], [8, 11]);
  assert.deepEqual(
    s.suggestions.map((x) => x.value),
    ['ADVERT'],
  );
});
