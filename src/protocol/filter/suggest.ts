// Token-aware autocomplete for the filter box (spec frontend §5 UX): at the cursor, suggest
// field names (plus payload.* keys the caller saw in its rows), then operators after a field,
// then the type / route names after `type ==`, `route !=` or inside `type in (...)`.
import { FILTER_FIELDS, FILTER_OPERATORS, ROUTE_VALUES, TYPE_VALUES, isFilterField } from './ast.js';

export interface Suggestion {
  value: string;
  kind: 'field' | 'op' | 'value';
  desc: string;
}

export interface Suggestions {
  suggestions: Suggestion[];
  /** The span of the text the chosen suggestion replaces. */
  replaceStart: number;
  replaceEnd: number;
}

const WORD = /[A-Za-z0-9_.]/;
const ENUMS: Readonly<Record<string, readonly string[]>> = { type: TYPE_VALUES, route: ROUTE_VALUES };

/** The enum field whose value is being typed (`type ==`, `route != `, `type in (A, `), or null. */
function enumField(before: string): string | null {
  const m = /(\w+)\s*(?:==|!=)\s*$/.exec(before) ?? /(\w+)\s+in\s*\(([^()]*,)?\s*$/.exec(before);
  return m && ENUMS[m[1]] ? m[1] : null;
}

export function suggestFilter(
  input: string,
  cursor = input.length,
  payloadKeys: readonly string[] = [],
): Suggestions {
  let start = cursor;
  while (start > 0 && WORD.test(input[start - 1])) start--;
  let end = cursor;
  while (end < input.length && WORD.test(input[end])) end++;
  const partial = input.slice(start, cursor).toLowerCase();
  const before = input.slice(0, start);
  const pick = (items: Suggestion[]) => ({
    suggestions: items.filter((s) => s.value.toLowerCase().startsWith(partial)),
    replaceStart: start,
    replaceEnd: end,
  });
  const field = enumField(before);
  if (field) return pick(ENUMS[field].map((value) => ({ value, kind: 'value' as const, desc: field })));
  const last = /([A-Za-z_][A-Za-z0-9_.]*)\s+$/.exec(before)?.[1];
  if (last !== undefined && isFilterField(last))
    return pick(FILTER_OPERATORS.map((o) => ({ value: o.op, kind: 'op' as const, desc: o.desc })));
  const fields: Suggestion[] = FILTER_FIELDS.map((f) => ({
    value: f.name,
    kind: 'field' as const,
    desc: f.desc,
  }));
  const known = new Set(fields.map((f) => f.value));
  for (const k of payloadKeys)
    if (!known.has(`payload.${k}`))
      fields.push({ value: `payload.${k}`, kind: 'field', desc: 'decoded payload field' });
  return pick(fields);
}
