// Compares a live JSON answer with one of CoreScope's golden shapes
// (test/fixtures/corescope-golden-shapes.json; fixtures/README.md says how to read them):
// `{type, keys}` for an object (listed keys must be present, extra keys are allowed),
// `{type: 'object', dynamicKeys: true, valueShape}` for a map (every value has valueShape),
// `{type: 'array', elementShape}` for an array (the shape describes the first element),
// scalars `string | number | boolean`; `nullable` = anything (the recorded sample was null),
// `nullable_number` = a number or null.
import { readFileSync } from 'node:fs';

export interface GoldenShape {
  type: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'nullable' | 'nullable_number';
  keys?: Record<string, GoldenShape>;
  elementShape?: GoldenShape;
  dynamicKeys?: boolean;
  valueShape?: GoldenShape;
}

export type GoldenShapes = Record<string, GoldenShape>;

export function readGoldenShapes(): GoldenShapes {
  return JSON.parse(
    readFileSync(new URL('../fixtures/corescope-golden-shapes.json', import.meta.url), 'utf8'),
  ) as GoldenShapes;
}

/** One difference: where (`$.nodes[0].hash_size`), what the shape wants, what came. */
export interface ShapeMismatch {
  path: string;
  expected: string;
  actual: string;
}

export interface ShapeReport {
  mismatches: ShapeMismatch[];
  /**
   * Arrays the shape describes an element of but which were empty in the answer: their
   * elements were not checked (the caller decides whether that is acceptable).
   */
  emptyArrays: string[];
  /** Maps (dynamicKeys) that were empty in the answer, likewise unchecked. */
  emptyMaps: string[];
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function compareShape(shape: GoldenShape, value: unknown, path = '$'): ShapeReport {
  const report: ShapeReport = { mismatches: [], emptyArrays: [], emptyMaps: [] };
  walk(shape, value, path, report);
  return report;
}

function walk(shape: GoldenShape, value: unknown, path: string, r: ShapeReport): void {
  const actual = typeOf(value);
  const fail = (expected: string): void => {
    r.mismatches.push({ path, expected, actual });
  };
  switch (shape.type) {
    case 'nullable':
      return;
    case 'nullable_number':
      if (actual !== 'number' && actual !== 'null') fail('number|null');
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (actual !== shape.type) fail(shape.type);
      return;
    case 'array': {
      if (!Array.isArray(value)) {
        fail('array');
        return;
      }
      if (!shape.elementShape) return;
      if (value.length === 0) r.emptyArrays.push(path);
      else walk(shape.elementShape, value[0], `${path}[0]`, r);
      return;
    }
    case 'object': {
      if (actual !== 'object') {
        fail('object');
        return;
      }
      const obj = value as Record<string, unknown>;
      if (shape.dynamicKeys && shape.valueShape) {
        const entries = Object.entries(obj);
        if (entries.length === 0) r.emptyMaps.push(path);
        for (const [k, v] of entries) walk(shape.valueShape, v, `${path}[${JSON.stringify(k)}]`, r);
      }
      for (const [k, sub] of Object.entries(shape.keys ?? {})) {
        const at = `${path}.${k}`;
        if (!(k in obj)) r.mismatches.push({ path: at, expected: sub.type, actual: 'missing' });
        else walk(sub, obj[k], at, r);
      }
      return;
    }
    default:
      throw new Error(`unknown golden shape type '${String((shape as { type: unknown }).type)}' at ${path}`);
  }
}
