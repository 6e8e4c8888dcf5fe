// The filter-expression input of the Packets page (spec §5). The expression is evaluated by the
// server over the whole store (GET /api/packets?filter=); a parse error comes back as HTTP 400
// {error, code, position, expected} and is shown under the input with a caret at the position.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../app/api';
import { count } from '../app/format';

export interface FilterError {
  message: string;
  position: number;
  expected: string[];
}

/** The parse error in an API error, if it is one (a 400 whose body carries a position). */
export function filterErrorOf(e: unknown): FilterError | null {
  if (!(e instanceof ApiError) || e.status !== 400 || !e.body) return null;
  const { position, expected } = e.body;
  if (typeof position !== 'number') return null;
  const exp = Array.isArray(expected) ? expected.map(String) : typeof expected === 'string' ? [expected] : [];
  return { message: e.message, position, expected: exp };
}

/** A value typed by the user, committed after `ms` of quiet (and at once on Enter). */
export function useDebounced(value: string, commit: (v: string) => void, ms = 300) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Back/forward or a link changed the URL: show that value.
  useEffect(() => setText(value), [value]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const onInput = (v: string) => {
    setText(v);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => commit(v.trim()), ms);
  };
  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    commit(text.trim());
  };
  return { text, onInput, flush };
}

export function FilterInput(props: {
  value: string;
  onCommit: (expr: string) => void;
  error: FilterError | null;
  /** Transmissions matching a valid expression (the page's total). */
  matches: number | null;
}) {
  const { text, onInput, flush } = useDebounced(props.value, props.onCommit);
  const err = props.error && props.value !== '' ? props.error : null;
  return (
    <div class="pk-filter">
      <label class="control pk-filter-label">
        <span class="control-label">Filter</span>
        <input
          type="text"
          class="mono pk-filter-input"
          value={text}
          placeholder="type == ADVERT && snr > 5"
          spellcheck={false}
          autocomplete="off"
          aria-invalid={err ? 'true' : 'false'}
          aria-describedby="pk-filter-status"
          onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && flush()}
        />
      </label>
      <div id="pk-filter-status" class="pk-filter-status">
        {err ? (
          <div class="pk-filter-error" role="alert" data-filter-error={err.position}>
            <pre class="pk-caret" aria-hidden="true">
              {props.value}
              {'\n'}
              {' '.repeat(Math.max(0, Math.min(err.position, props.value.length)))}^
            </pre>
            <span>
              {err.message} (at character {err.position + 1}
              {err.expected.length > 0 ? `; expected ${err.expected.join(', ')}` : ''})
            </span>
          </div>
        ) : props.value !== '' && props.matches !== null ? (
          <span class="muted" data-filter-matches={props.matches}>
            {count(props.matches)} {props.matches === 1 ? 'match' : 'matches'}
          </span>
        ) : null}
      </div>
      <FilterHelp />
    </div>
  );
}

const FIELDS: [string, string][] = [
  [
    'type',
    'REQ, RESPONSE, TXT_MSG, ACK, ADVERT, GRP_TXT, GRP_DATA, ANON_REQ, PATH, TRACE, MULTIPART, CONTROL, RAW_CUSTOM',
  ],
  ['route', 'FLOOD, DIRECT, TRANSPORT_FLOOD, TRANSPORT_DIRECT; transport (true/false)'],
  ['hash, raw, size, snr, rssi, hops', 'packet and signal (size in bytes, snr in dB, rssi in dBm)'],
  ['observer, observer_id, observer_iata (iata), observations', 'who heard it, how often'],
  ['path (path_prefixes), routed_through', 'hop prefixes joined by arrows; full keys of the resolved path'],
  ['payload_bytes, payload_hex', 'the payload'],
  ['time, age', 'epoch ms; seconds ago (durations: 1s 5m 1h 7d 2w)'],
  ['code1, code2', 'transport codes'],
  [
    'payload.name, payload.text, payload.channel, payload.sender, payload.flags.hasLocation …',
    'decoded fields',
  ],
];
const OPERATORS = [
  '== != (case-insensitive, aliases: dm, "Channel Msg", t_flood)',
  '> < >= <= (numeric)',
  'contains starts_with ends_with',
  'after before between a b (dates or epochs)',
  'in (a, b, …)',
  '&& || ! ( ) — ! binds tightest, || loosest; a bare field tests truthiness',
];
const EXAMPLES = [
  'type == ADVERT && snr > 5',
  '(type == ADVERT || type == ACK) && hops >= 2',
  'payload.name contains "Gilroy"',
  'iata in ("SJC","SFO")',
  'age < 1h',
  '!transport',
];

function FilterHelp() {
  return (
    <details class="pk-help">
      <summary>Filter help</summary>
      <div class="pk-help-body">
        <h2>Fields</h2>
        <dl>
          {FIELDS.map(([f, d]) => (
            <>
              <dt>
                <code>{f}</code>
              </dt>
              <dd>{d}</dd>
            </>
          ))}
        </dl>
        <h2>Operators</h2>
        <ul>
          {OPERATORS.map((o) => (
            <li>
              <code>{o}</code>
            </li>
          ))}
        </ul>
        <h2>Examples</h2>
        <ul>
          {EXAMPLES.map((x) => (
            <li>
              <code>{x}</code>
            </li>
          ))}
        </ul>
        <p class="muted">Evaluated by the server over every stored packet, not only the rows loaded here.</p>
      </div>
    </details>
  );
}
