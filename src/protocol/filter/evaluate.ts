// Evaluation of a parsed filter against one row (spec frontend §5 operators): the caller
// resolves field names to values; the tree compiles once to closures. A missing field (null or
// undefined) makes every comparison false; == and != compare strings case-insensitively and
// resolve the type/route aliases; > < >= <= are numeric; after/before/between take ISO dates or
// epochs (on `time`, an epoch below 1e11 is read as seconds).
import { ROUTE_ALIASES, TYPE_ALIASES, type FilterNode, type FilterValue } from './ast.js';

/** A row's value of a field (null/undefined when the row has none). */
export type FieldSource = (field: string) => unknown;
type Test = (row: FieldSource) => boolean;

const TIME_FIELDS: ReadonlySet<string> = new Set(['time', 'timestamp']);

/** The value as a number for numeric and temporal operators (NaN when it is none). */
function numberOf(v: FilterValue, field: string): number {
  switch (v.kind) {
    case 'number':
      return TIME_FIELDS.has(field) && Math.abs(v.value) < 1e11 ? v.value * 1000 : v.value;
    case 'duration':
      return v.seconds;
    case 'string':
    case 'word': {
      const ms = Date.parse(v.value);
      return Number.isNaN(ms) ? Number(v.value) : ms;
    }
    default:
      return NaN;
  }
}

/** The value for == / != / in: aliases resolved for type and route, strings lower-cased. */
function equalityOf(v: FilterValue, field: string): string | number | boolean {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'duration') return v.seconds;
  if (v.kind === 'bool') return v.value;
  const lower = v.value.toLowerCase();
  const alias = field === 'type' ? TYPE_ALIASES[lower] : field === 'route' ? ROUTE_ALIASES[lower] : undefined;
  return (alias ?? lower).toLowerCase();
}

function fieldNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x);
  return NaN;
}

function equals(x: unknown, target: string | number | boolean): boolean {
  if (typeof x === 'number' && typeof target === 'number') return x === target;
  if (typeof x === 'boolean' || typeof target === 'boolean') return x === target;
  return String(x).toLowerCase() === String(target);
}

function compareTest(field: string, op: string, value: FilterValue): Test {
  if (op === '==' || op === '!=') {
    const target = equalityOf(value, field);
    const want = op === '==';
    return (row) => {
      const x = row(field);
      return x !== null && x !== undefined && equals(x, target) === want;
    };
  }
  if (op === 'contains' || op === 'starts_with' || op === 'ends_with') {
    const t =
      value.kind === 'string' || value.kind === 'word'
        ? value.value.toLowerCase()
        : String(value.kind === 'duration' ? value.amount + value.unit : value.value);
    return (row) => {
      const x = row(field);
      if (x === null || x === undefined) return false;
      const s = String(x).toLowerCase();
      return op === 'contains' ? s.includes(t) : op === 'starts_with' ? s.startsWith(t) : s.endsWith(t);
    };
  }
  const b = numberOf(value, field);
  const cmp: (a: number) => boolean =
    op === '>' || op === 'after'
      ? (a) => a > b
      : op === '<' || op === 'before'
        ? (a) => a < b
        : op === '>='
          ? (a) => a >= b
          : (a) => a <= b;
  return (row) => {
    const a = fieldNumber(row(field));
    return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a);
  };
}

function compile(n: FilterNode): Test {
  switch (n.type) {
    case 'or': {
      const [l, r] = [compile(n.left), compile(n.right)];
      return (row) => l(row) || r(row);
    }
    case 'and': {
      const [l, r] = [compile(n.left), compile(n.right)];
      return (row) => l(row) && r(row);
    }
    case 'not': {
      const e = compile(n.expr);
      return (row) => !e(row);
    }
    case 'truthy':
      return (row) => Boolean(row(n.field));
    case 'compare':
      return compareTest(n.field, n.op, n.value);
    case 'between': {
      const [x, y] = [numberOf(n.low, n.field), numberOf(n.high, n.field)];
      const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
      return (row) => {
        const a = fieldNumber(row(n.field));
        return a >= lo && a <= hi;
      };
    }
    case 'in': {
      const targets = n.values.map((v) => equalityOf(v, n.field));
      return (row) => {
        const x = row(n.field);
        return x !== null && x !== undefined && targets.some((t) => equals(x, t));
      };
    }
  }
}

/** The tree as a predicate over rows. */
export function compileFilter(ast: FilterNode): (row: FieldSource) => boolean {
  return compile(ast);
}

/** Every field a tree reads (so a scan computes only those). */
export function filterFields(ast: FilterNode): Set<string> {
  const out = new Set<string>();
  const walk = (n: FilterNode): void => {
    if (n.type === 'or' || n.type === 'and') {
      walk(n.left);
      walk(n.right);
    } else if (n.type === 'not') walk(n.expr);
    else out.add(n.field);
  };
  walk(ast);
  return out;
}
