import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flatCodec } from '../../src/util/flat-codec.js';

interface Every {
  int: number;
  float: number;
  text: string;
  flag: boolean;
  maybe: number | null;
  bytes: Uint8Array;
  list: string[];
  obj: { a: number; b: string | null };
  opt?: boolean;
}

const codec = flatCodec<Every>(
  { int: 0, float: 0, text: 0, flag: 0, maybe: 0, bytes: 0, list: 0, obj: 0, opt: 0 },
  { opt: 0 },
);

const sample: Every = {
  int: -42,
  float: 1.25e-7,
  text: 'héllo "q"',
  flag: false,
  maybe: null,
  bytes: new Uint8Array([0, 255, 7]),
  list: ['A1', 'B2'],
  obj: { a: 1, b: null },
  opt: true,
};

test('every field type survives write -> structured clone -> read, records back to back', () => {
  const flat: unknown[] = [];
  const { opt: _, ...noOpt } = sample;
  codec.write(flat, sample);
  codec.write(flat, noOpt);
  assert.equal(flat.length, 2 * codec.width);
  const back = structuredClone(flat);
  assert.deepEqual(codec.read(back, 0), sample);
  // An absent optional field travels as null and stays absent.
  assert.equal(back[codec.width + codec.fields.indexOf('opt')], null);
  assert.deepEqual(codec.read(back, codec.width), noOpt);
  assert.ok(!('opt' in codec.read(back, codec.width)));
});

test('fields follow the declared order; width counts them', () => {
  assert.deepEqual(codec.fields, ['int', 'float', 'text', 'flag', 'maybe', 'bytes', 'list', 'obj', 'opt']);
  assert.equal(codec.width, 9);
});

test('the field list is checked by the compiler', () => {
  // @ts-expect-error a field of the type is missing from the list
  flatCodec<{ a: number; b: string }>({ a: 0 });
  // @ts-expect-error a field not in the type is listed
  flatCodec<{ a: number }>({ a: 0, b: 0 });
  // @ts-expect-error only optional fields may be dropped when null
  flatCodec<{ a: number | null; b?: string }>({ a: 0, b: 0 }, { a: 0 });
});

test('property: any records round-trip through a flat array, in order', () => {
  const record = fc.record(
    {
      int: fc.integer(),
      float: fc.double({ noNaN: true }),
      text: fc.string(),
      flag: fc.boolean(),
      maybe: fc.option(fc.integer(), { nil: null }),
      bytes: fc.uint8Array({ maxLength: 16 }),
      list: fc.array(fc.string(), { maxLength: 4 }),
      obj: fc.record({ a: fc.integer(), b: fc.option(fc.string(), { nil: null }) }),
      opt: fc.boolean(),
    },
    { requiredKeys: ['int', 'float', 'text', 'flag', 'maybe', 'bytes', 'list', 'obj'] },
  );
  fc.assert(
    fc.property(fc.array(record, { maxLength: 20 }), (records) => {
      const flat: unknown[] = [];
      for (const r of records) codec.write(flat, r);
      const back = structuredClone(flat);
      const read = records.map((_, k) => codec.read(back, k * codec.width));
      // The same values a structured clone of the objects would give (it also drops the
      // generator's null prototypes).
      assert.deepEqual(read, structuredClone(records));
    }),
  );
});
