// Recursive-descent parser of the packet filter language (spec frontend §5): `||` binds
// loosest, then `&&`, then prefix `!` (on one comparison, truthiness test or group).
// Every error names its 0-based position and what was expected there.
import {
  DURATION_SECONDS,
  isFilterField,
  WORD_OPERATORS,
  type CompareOp,
  type FilterNode,
  type FilterValue,
} from './ast.js';
import { FilterSyntax, lex, syntaxError, type FilterError, type Token } from './lexer.js';

export type { FilterError };
export type ParseResult = { ok: true; ast: FilterNode } | { ok: false; error: FilterError };

const TIME_OPS: ReadonlySet<string> = new Set(['after', 'before']);
const NUMERIC_OPS: ReadonlySet<string> = new Set(['>', '<', '>=', '<=']);

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
  private where(): number {
    return this.peek()?.pos ?? this.length;
  }
  private got(): string {
    const t = this.peek();
    return t ? `'${t.text}'` : 'end of input';
  }

  parse(): FilterNode {
    const node = this.or();
    if (this.peek()) throw syntaxError(this.where(), "'&&', '||' or the end", `unexpected ${this.got()}`);
    return node;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peek()?.kind === 'or') {
      this.at++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peek()?.kind === 'and') {
      this.at++;
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    const t = this.peek();
    if (t?.kind === 'not') {
      this.at++;
      return { type: 'not', expr: this.unary() };
    }
    if (t?.kind === 'lparen') {
      this.at++;
      const inner = this.or();
      if (this.peek()?.kind !== 'rparen')
        throw syntaxError(this.where(), "')'", `unclosed '(' at ${t.pos}, got ${this.got()}`);
      this.at++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const t = this.peek();
    if (t?.kind !== 'word' || WORD_OPERATORS.has(t.text) || t.text === 'true' || t.text === 'false')
      throw syntaxError(this.where(), "a field name, '!' or '('", `unexpected ${this.got()}`);
    if (!isFilterField(t.text))
      throw syntaxError(
        t.pos,
        'a field name (see the field list) or payload.<path>',
        `unknown field '${t.text}'`,
      );
    const field = t.text;
    this.at++;
    const next = this.peek();
    if (!next || next.kind === 'and' || next.kind === 'or' || next.kind === 'rparen')
      return { type: 'truthy', field };
    const isOp = next.kind === 'op' || (next.kind === 'word' && WORD_OPERATORS.has(next.text));
    if (!isOp) throw syntaxError(next.pos, `an operator after '${field}'`, `unexpected ${this.got()}`);
    this.at++;
    const op = next.text;
    if (op === 'between') {
      const low = this.value(field, op);
      return { type: 'between', field, low, high: this.value(field, op) };
    }
    if (op === 'in') return { type: 'in', field, values: this.list(field) };
    return { type: 'compare', field, op: op as CompareOp, value: this.value(field, op) };
  }

  private list(field: string): FilterValue[] {
    if (this.peek()?.kind !== 'lparen')
      throw syntaxError(this.where(), "'(' after 'in'", `unexpected ${this.got()}`);
    this.at++;
    const values = [this.value(field, 'in')];
    while (this.peek()?.kind === 'comma') {
      this.at++;
      values.push(this.value(field, 'in'));
    }
    if (this.peek()?.kind !== 'rparen')
      throw syntaxError(this.where(), "',' or ')'", `unexpected ${this.got()}`);
    this.at++;
    return values;
  }

  private value(field: string, op: string): FilterValue {
    const t = this.peek();
    const pos = this.where();
    const v = t ? literal(t) : null;
    if (v === null) throw syntaxError(pos, `a value after '${field} ${op}'`, `unexpected ${this.got()}`);
    if (NUMERIC_OPS.has(op) && v.kind !== 'number' && v.kind !== 'duration')
      throw syntaxError(pos, `a number or duration after '${field} ${op}'`, `'${t!.text}' is not a number`);
    if (
      (TIME_OPS.has(op) || op === 'between') &&
      (v.kind === 'string' || v.kind === 'word') &&
      Number.isNaN(Date.parse(v.value))
    )
      throw syntaxError(
        pos,
        `an ISO date, an epoch or a number after '${field} ${op}'`,
        `invalid date '${v.value}'`,
      );
    this.at++;
    return v;
  }
}

/** The literal a token stands for, or null when it is not a value. */
function literal(t: Token): FilterValue | null {
  switch (t.kind) {
    case 'string':
      return { kind: 'string', value: t.text };
    case 'number':
      return { kind: 'number', value: t.number! };
    case 'duration':
      return {
        kind: 'duration',
        amount: t.number!,
        unit: t.unit!,
        seconds: t.number! * DURATION_SECONDS[t.unit!],
      };
    case 'word':
      if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true' };
      return WORD_OPERATORS.has(t.text) ? null : { kind: 'word', value: t.text };
    default:
      return null;
  }
}

/** Parses a filter expression; never throws. Empty (or blank) text is an error too: nothing to filter by. */
export function parseFilter(text: string): ParseResult {
  try {
    const tokens = lex(text);
    if (tokens.length === 0)
      return {
        ok: false,
        error: {
          position: 0,
          expected: 'a filter expression',
          message: 'empty filter: expected a filter expression at 0',
        },
      };
    return { ok: true, ast: new Parser(tokens, text.length).parse() };
  } catch (err) {
    if (err instanceof FilterSyntax) return { ok: false, error: err.detail };
    throw err;
  }
}
