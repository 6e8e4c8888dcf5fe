// Tokens of the packet filter language with their 0-based positions. A bad token stops the
// scan with a positioned error: an unterminated string, an unknown character, a number with
// a unit that is not a duration, or an unquoted hex run of 4+ characters (spec frontend §5:
// quote it or use starts_with).
import { DURATION_SECONDS, type DurationUnit } from './ast.js';

export type TokenKind =
  'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'comma' | 'op' | 'word' | 'string' | 'number' | 'duration';

export interface Token {
  kind: TokenKind;
  /** The source text (for string: the unescaped value). */
  text: string;
  pos: number;
  number?: number;
  unit?: DurationUnit;
}

export interface FilterError {
  /** 0-based character position in the filter text. */
  position: number;
  /** What the parser expected there. */
  expected: string;
  message: string;
}

export class FilterSyntax extends Error {
  constructor(readonly detail: FilterError) {
    super(detail.message);
  }
}

export function syntaxError(position: number, expected: string, problem: string): FilterSyntax {
  return new FilterSyntax({ position, expected, message: `${problem}: expected ${expected} at ${position}` });
}

const HEX_RUN = /^[0-9a-fA-F]{4,}$/;
const NUMBER = /^\d+(\.\d+)?$/;
const DURATION = /^(\d+(?:\.\d+)?)([smhdw])$/;
const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_.]/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t' };

function hexError(pos: number, run: string): FilterSyntax {
  return syntaxError(pos, `a quoted string, e.g. "${run}" (or starts_with)`, `unquoted hex value '${run}'`);
}

/** A quoted string starting at `i` (a `"`); returns the token and the index after it. */
function lexString(input: string, i: number): [Token, number] {
  let out = '';
  for (let j = i + 1; j < input.length; j++) {
    const c = input[j];
    if (c === '"') return [{ kind: 'string', text: out, pos: i }, j + 1];
    if (c === '\\') {
      j++;
      if (j >= input.length) break;
      out += ESCAPES[input[j]] ?? input[j];
    } else out += c;
  }
  throw syntaxError(input.length, 'a closing "', `unterminated string starting at ${i}`);
}

/** A number, duration (or negative one) starting at `i`. */
function lexNumber(input: string, i: number): [Token, number] {
  const neg = input[i] === '-';
  let j = neg ? i + 1 : i;
  while (j < input.length && WORD_CHAR.test(input[j])) j++;
  const run = input.slice(neg ? i + 1 : i, j);
  const sign = neg ? -1 : 1;
  if (NUMBER.test(run))
    return [{ kind: 'number', text: input.slice(i, j), pos: i, number: sign * Number(run) }, j];
  const d = DURATION.exec(run);
  if (d) {
    const unit = d[2] as DurationUnit;
    const token: Token = {
      kind: 'duration',
      text: input.slice(i, j),
      pos: i,
      number: sign * Number(d[1]),
      unit,
    };
    return [token, j];
  }
  if (HEX_RUN.test(run)) throw hexError(i, run);
  const at = i + (neg ? 1 : 0) + (/^\d+(\.\d+)?/.exec(run)?.[0].length ?? 0);
  throw syntaxError(
    at,
    `a number or a duration (units ${Object.keys(DURATION_SECONDS).join(' ')})`,
    `invalid number '${input.slice(i, j)}'`,
  );
}

const TWO_CHAR: Record<string, TokenKind> = {
  '&&': 'and',
  '||': 'or',
  '==': 'op',
  '!=': 'op',
  '>=': 'op',
  '<=': 'op',
};
const ONE_CHAR: Record<string, TokenKind> = {
  '>': 'op',
  '<': 'op',
  '!': 'not',
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
};

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (TWO_CHAR[two]) {
      tokens.push({ kind: TWO_CHAR[two], text: two, pos: i });
      i += 2;
    } else if (ONE_CHAR[c]) {
      tokens.push({ kind: ONE_CHAR[c], text: c, pos: i });
      i++;
    } else if (c === '"') {
      const [t, next] = lexString(input, i);
      tokens.push(t);
      i = next;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const [t, next] = lexNumber(input, i);
      tokens.push(t);
      i = next;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < input.length && WORD_CHAR.test(input[j])) j++;
      const word = input.slice(i, j);
      if (HEX_RUN.test(word)) throw hexError(i, word);
      tokens.push({ kind: 'word', text: word, pos: i });
      i = j;
    } else {
      throw syntaxError(i, 'a field, value, operator or parenthesis', `unexpected character '${c}'`);
    }
  }
  return tokens;
}
