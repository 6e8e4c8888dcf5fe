// HTTP surfaces: GET query strings (and path parameters) of every GET route the server lists
// in its OpenAPI document, POST /api/packets bodies, and the bodies of the other write routes
// (POST/PUT, values built from each route's request schema, then mutated). A response is
// accounted for when it is 2xx, or 4xx with {error, code} (a 503 with Retry-After and a code
// is an accounted refusal too); any other 5xx, a missing reason or a timeout is a failure.
import { gzipSync } from 'node:zlib';
import type { Corpus } from '../corpus.js';
import type { Ledger, Surface } from '../ledger.js';
import { frameHex, mutateObject, nastyNumber, nastyString, randomText, serialize } from '../mutate.js';
import type { Rng } from '../rng.js';

export interface HttpInput {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Param {
  name: string;
  in: string;
  schema?: { type?: string; minimum?: number; maximum?: number; enum?: unknown[] };
}
export interface RouteSpec {
  method: string;
  path: string;
  params: Param[];
  bodySchema: Schema | null;
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

/** encodeURIComponent that takes lone surrogates (as U+FFFD, as a browser would send them). */
const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

/** Routes of the OpenAPI document (`/api/spec`), by method. */
export function routesOf(spec: { paths?: Record<string, Record<string, unknown>> }): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const [path, ops] of Object.entries(spec.paths ?? {}))
    for (const [method, op] of Object.entries(ops)) {
      const o = op as {
        parameters?: Param[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      };
      out.push({
        method: method.toUpperCase(),
        path,
        params: o.parameters ?? [],
        bodySchema: o.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  return out;
}

/** Values from the server's own data, for path parameters and some query values. */
export interface Samples {
  pubkeys: string[];
  hashes: string[];
  ids: string[];
  observers: string[];
  channels: string[];
}

export async function fetchSamples(base: string): Promise<Samples> {
  const get = async (p: string) =>
    (await fetch(base + p)
      .then((r) => r.json())
      .catch(() => ({}))) as any;
  const [nodes, packets, observers, channels] = await Promise.all([
    get('/api/nodes?limit=50'),
    get('/api/packets?limit=50'),
    get('/api/observers'),
    get('/api/channels'),
  ]);
  const strings = (xs: unknown, k: string) =>
    (Array.isArray(xs) ? xs : []).map((x) => String((x as Record<string, unknown>)[k])).slice(0, 50);
  return {
    pubkeys: strings(nodes.nodes, 'public_key'),
    hashes: strings(packets.packets, 'hash'),
    ids: strings(packets.packets, 'id'),
    observers: strings(observers.observers, 'id'),
    channels: strings(channels.channels, 'hash'),
  };
}

const TIMES = ['2026-01-01T00:00:00Z', '2026-01-01', '1767225600000', '1767225600', 'yesterday', '-1', ''];
const FILTERS = [
  'type == ADVERT',
  'snr > 5 && hops >= 2',
  '(((',
  'name ~ "x"',
  '!',
  'payload.name == "\u0000"',
];

/** A value for a named query parameter: plausible, boundary or hostile. */
function queryValue(rng: Rng, p: Param, s: Samples): string {
  if (rng.chance(0.3)) return nastyString(rng);
  const n = p.name.toLowerCase();
  if (/since|until|from|to|before|lastheard/.test(n)) return rng.pick(TIMES);
  if (n === 'filter') return rng.pick(FILTERS);
  if (/region|iata/.test(n)) return rng.pick(['SEA', 'sea', 'SEA,PDX', '', 'ZZZZZZZZZZZZZZZZZ']);
  if (/node|pubkey|from_node|observer|prefix|^q$|search/.test(n))
    return (rng.pick([...s.pubkeys, ...s.observers, 'ab']) ?? 'ab').slice(0, rng.pick([2, 4, 8, 64]));
  if (n === 'hops')
    return Array.from({ length: rng.int(6) }, () => rng.bytes(1 + rng.int(3)).toString('hex')).join(',');
  if (n === 'hash') return rng.pick([...s.hashes, 'ff']);
  if (n === 'groups') return rng.pick(['2-2:50,3-3:30', '9-1:5', '2-2:999999', 'x']);
  if (n === 'bbox') return rng.pick(['-180,-90,180,90', '0,0,0,0', '1,2,3', 'a,b,c,d']);
  if (n === 'window') return rng.pick(['1h', '24h', '7d', '0h', '99999d', 'x']);
  const t = p.schema?.type;
  if (t === 'integer' || t === 'number') return String(rng.chance(0.5) ? rng.int(200) : nastyNumber(rng));
  if (p.schema?.enum) return String(rng.pick(p.schema.enum));
  return randomText(rng, rng.int(12));
}

/** File names for the static routes: real ones, traversal attempts (raw and encoded). */
const FILES = [
  'index.html',
  'swagger-ui.css',
  'favicon.ico',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e/%2e%2e/etc/passwd',
  '....//....//etc/passwd',
  '%00.html',
  'a'.repeat(300),
];

/** GET routes served but hidden from the document (static files): fuzzed by hand. */
export const HIDDEN_GET_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/api/docs/{file}', params: [], bodySchema: null },
  { method: 'GET', path: '/{file}', params: [], bodySchema: null },
  { method: 'GET', path: '/assets/{file}', params: [], bodySchema: null },
];

function pathValue(rng: Rng, name: string, path: string, s: Samples): string {
  if (name === 'file') return rng.chance(0.7) ? rng.pick(FILES) : enc(nastyString(rng));
  if (rng.chance(0.25)) return enc(nastyString(rng));
  const list = /hash|id/.test(name)
    ? path.startsWith('/api/observers')
      ? s.observers
      : path.startsWith('/api/channels')
        ? s.channels
        : rng.chance(0.5)
          ? s.hashes
          : s.ids
    : s.pubkeys;
  return enc(list.length > 0 ? rng.pick(list) : nastyString(rng));
}

/** GET of a listed route with fuzzed path parameters and query string. */
export function getInput(rng: Rng, routes: RouteSpec[], s: Samples): HttpInput {
  const r = rng.pick(routes);
  let url = r.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(rng, name, r.path, s));
  const parts: string[] = [];
  for (const p of r.params)
    if (p.in === 'query' && rng.chance(0.5)) parts.push(`${p.name}=${enc(queryValue(rng, p, s))}`);
  if (rng.chance(0.1)) parts.push(`${enc(nastyString(rng).slice(0, 20))}=${enc(nastyString(rng))}`);
  if (rng.chance(0.05) && parts.length > 0) parts.push(rng.pick(parts)); // a repeated parameter
  if (rng.chance(0.03))
    parts.push(rng.pick(['%zz', '%', 'a=%E0%A4%A', '&&&', '==', 'x'.repeat(rng.pick([3000, 12000]))]));
  if (parts.length > 0) url += `?${parts.join('&')}`;
  return { method: 'GET', url, headers: getHeaders(rng) };
}

/** Sometimes odd request headers: API key, content negotiation, conditional and range requests. */
function getHeaders(rng: Rng): Record<string, string> {
  const h: Record<string, string> = {};
  const printable = (v: string) => v.replace(/[^\x20-\x7e]/g, '');
  if (rng.chance(0.02)) h['x-api-key'] = printable(nastyString(rng));
  if (rng.chance(0.05))
    h['accept-encoding'] = rng.pick([
      'gzip',
      'br',
      '*',
      'identity;q=0',
      'gzip;q=2, br;q=-1',
      'x'.repeat(4000),
    ]);
  if (rng.chance(0.03)) h['if-none-match'] = rng.pick(['*', '"x"', 'W/"0"', printable(nastyString(rng))]);
  if (rng.chance(0.03))
    h.range = rng.pick(['bytes=0-0', 'bytes=-1', 'bytes=99999999-', 'bytes=5-1', 'lines=1-2']);
  if (rng.chance(0.02)) h.origin = rng.pick(['http://evil.example', 'null', printable(nastyString(rng))]);
  return h;
}

/** A value that satisfies a JSON schema (roughly), for a body to mutate from. */
function schemaValue(rng: Rng, s: Schema | undefined, c: Corpus, key = ''): unknown {
  if (!s) return null;
  if (s.enum) return rng.pick(s.enum);
  if (/hex/.test(key)) return frameHex(rng, c.frames);
  switch (s.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (rng.chance(0.8)) o[k] = schemaValue(rng, v, c, k);
      return o;
    }
    case 'array':
      return Array.from({ length: rng.int(4) }, () => schemaValue(rng, s.items, c, key));
    case 'integer':
    case 'number':
      return s.minimum !== undefined && s.maximum !== undefined
        ? s.minimum + rng.int(Math.max(1, s.maximum - s.minimum))
        : rng.int(100);
    case 'boolean':
      return rng.chance(0.5);
    default:
      return /hash/.test(key) ? rng.bytes(8).toString('hex') : randomText(rng, rng.int(10));
  }
}

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  '',
];

/** Headers and bytes of a fuzzed JSON body (content type and encoding fuzzed too). */
function withBody(
  rng: Rng,
  value: unknown,
  headers: Record<string, string>,
): { headers: Record<string, string>; body: Buffer } {
  let body = serialize(rng, value);
  const ct = rng.chance(0.9) ? 'application/json' : rng.pick(CONTENT_TYPES);
  if (ct !== '') headers['content-type'] = ct;
  if (rng.chance(0.05)) {
    const enc = rng.pick(['gzip', 'gzip', 'br', 'deflate', 'bogus', 'gzip, gzip', 'identity']);
    headers['content-encoding'] = enc;
    if (enc === 'gzip' && rng.chance(0.5)) body = gzipSync(body);
  }
  return { headers, body };
}

function apiKeyHeader(rng: Rng, key: string): Record<string, string> {
  return rng.chance(0.95) ? { 'x-api-key': key } : rng.chance(0.5) ? { 'x-api-key': 'wrong' } : {};
}

/** POST /api/packets: a frame (mostly mutated) and the optional fields, valid or hostile. */
export function postPacketInput(rng: Rng, c: Corpus, key: string): HttpInput {
  const o: Record<string, unknown> = { hex: frameHex(rng, c.frames) };
  if (rng.chance(0.5)) o.observer = rng.chance(0.8) ? `fuzz-${rng.int(50)}` : nastyString(rng);
  if (rng.chance(0.3)) o.snr = rng.chance(0.7) ? rng.int(40) - 20 : nastyNumber(rng);
  if (rng.chance(0.3)) o.rssi = rng.chance(0.7) ? -rng.int(130) : nastyNumber(rng);
  if (rng.chance(0.3)) o.region = rng.chance(0.8) ? 'SEA' : nastyString(rng);
  const value = rng.chance(0.15) ? mutateObject(rng, o) : o;
  return { method: 'POST', url: '/api/packets', ...withBody(rng, value, apiKeyHeader(rng, key)) };
}

/** Any other write route of the document (not POST /api/packets), body from its schema. */
export function postOtherInput(rng: Rng, routes: RouteSpec[], c: Corpus, key: string): HttpInput {
  const r = rng.pick(routes);
  const base = r.bodySchema ? schemaValue(rng, r.bodySchema, c) : rng.chance(0.5) ? {} : null;
  const value =
    base && typeof base === 'object' && !Array.isArray(base) && rng.chance(0.5)
      ? mutateObject(rng, base as Record<string, unknown>)
      : base;
  const query = r.params
    .filter((p) => p.in === 'query')
    .map((p) => `${p.name}=${enc(rng.chance(0.5) ? 'true' : nastyString(rng))}`);
  const url = r.path + (query.length > 0 && rng.chance(0.7) ? `?${query.join('&')}` : '');
  const headers = apiKeyHeader(rng, key);
  // Sometimes a method the route does not have (405/404 in the one error format; OPTIONS: CORS).
  const method = rng.chance(0.05) ? rng.pick(['DELETE', 'PATCH', 'OPTIONS', 'PUT', 'POST']) : r.method;
  if (value === null && rng.chance(0.5)) return { method, url, headers };
  return { method, url, ...withBody(rng, value, headers) };
}

export interface HttpResult {
  status: number;
  code: string | null;
  reason: string | null;
  retryAfter: boolean;
  body: string;
  ms: number;
}

/** Sends one request; rejects on a network error or after `timeoutMs`. */
export async function send(base: string, req: HttpInput, timeoutMs: number): Promise<HttpResult> {
  const t0 = performance.now();
  const res = await fetch(base + req.url, {
    method: req.method,
    headers: req.headers,
    ...(req.body ? { body: req.body } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  let parsed: { code?: unknown; error?: unknown; reason?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = {};
  }
  return {
    status: res.status,
    code: typeof parsed.code === 'string' && typeof parsed.error === 'string' ? parsed.code : null,
    reason: typeof parsed.reason === 'string' ? parsed.reason : null,
    retryAfter: res.headers.has('retry-after'),
    body: body.slice(0, 500),
    ms: performance.now() - t0,
  };
}

/** Classifies a response into the ledger: the outcome name, or a failure. */
export function account(ledger: Ledger, surface: Surface, req: HttpInput, r: HttpResult): void {
  const input = describeHttpInput(req);
  if (r.status >= 500 && !(r.status === 503 && r.retryAfter && r.code)) {
    ledger.fail({
      oracle: 'http-5xx',
      surface,
      detail: `${req.method} ${req.url.slice(0, 200)} -> ${r.status} ${r.body}`,
      input,
    });
    ledger.note(surface, `http:${r.status}`, r.ms);
    return;
  }
  if (r.status >= 400 && r.code === null) {
    ledger.fail({
      oracle: 'no-reason',
      surface,
      detail: `${req.method} ${req.url.slice(0, 200)} -> ${r.status} without {error, code}: ${r.body}`,
      input,
    });
    ledger.note(surface, `http:${r.status}`, r.ms);
    return;
  }
  const tail = r.status >= 400 ? `:${r.code}${r.reason ? `:${r.reason}` : ''}` : '';
  ledger.note(surface, `http:${r.status}${tail}`, r.ms);
}

export function describeHttpInput(req: HttpInput) {
  return {
    method: req.method,
    url: req.url.length > 4000 ? `${req.url.slice(0, 4000)}… (${req.url.length} chars)` : req.url,
    headers: req.headers,
    ...(req.body
      ? { bodyUtf8: req.body.toString('utf8').slice(0, 4000), bodyBase64: req.body.toString('base64') }
      : {}),
  };
}
