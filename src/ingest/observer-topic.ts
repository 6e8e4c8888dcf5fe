// MQTT topic layout `meshcore/{IATA}/{OBSERVER_PUBKEY}/{packets|status}` (spec
// ingest-store-api §1.1) and the admission filters of §1.5.

/** Every reason an observer message can be turned away before it reaches the decoder. */
export type IngestRejectCode =
  | 'oversize'
  | 'unknown_topic'
  | 'ignored_topic'
  | 'bad_iata'
  | 'bad_observer_id'
  | 'iata_filtered'
  | 'blacklisted'
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_raw'
  | 'invalid_raw';

export type Rejection = { ok: false; code: IngestRejectCode; detail: string };
export const reject = (code: IngestRejectCode, detail: string): Rejection => ({ ok: false, code, detail });

export type TopicKind = 'packets' | 'status';

export interface ObserverTopic {
  iata: string;
  /** 64 uppercase hex digits. */
  observerId: string;
  kind: TopicKind;
}

// Known topics that meshlens does not ingest (yet): companion-bridge formats 2/2b, client RX
// coverage, broker status and the Node-era topics (spec §1.1).
const ignoredSecondLevel = new Set([
  'status',
  'events',
  'message',
  'client',
  'advertisement',
  'self_info',
  'traceroute',
]);
const observerIdPattern = /^[0-9A-Fa-f]{64}$/;
// IATA codes are normally 3 letters, but deployments use longer region tags.
const iataPattern = /^[A-Za-z0-9_-]{1,16}$/;

type TopicResult = { ok: true; value: ObserverTopic } | Rejection;

/** Parsed topics by text: each observer publishes to the same few topics over and over. */
const topicCache = new Map<string, TopicResult>();
const topicCacheMax = 10_000;

/** Splits and validates an observer topic (results are frozen and shared). */
export function parseTopic(topic: string): TopicResult {
  let r = topicCache.get(topic);
  if (r !== undefined) return r;
  r = parseTopicText(topic);
  Object.freeze(r);
  if (r.ok) Object.freeze(r.value);
  if (topicCache.size >= topicCacheMax) topicCache.clear();
  topicCache.set(topic, r);
  return r;
}

function parseTopicText(topic: string): TopicResult {
  const parts = topic.split('/');
  if (parts[0] !== 'meshcore') return reject('unknown_topic', `not a meshcore/ topic: ${clip(topic)}`);
  if (parts.length >= 2 && ignoredSecondLevel.has(parts[1]))
    return reject('ignored_topic', `not an observer topic: ${clip(topic)}`);
  const [, iata, observerId, kind] = parts;
  // CoreScope treats any non-status message with `raw` as a packet whatever parts[3] says
  // (a quirk, §1.1); meshlens accepts only the two documented kinds.
  if (parts.length !== 4 || (kind !== 'packets' && kind !== 'status'))
    return reject('unknown_topic', `expected meshcore/{IATA}/{observer}/packets|status: ${clip(topic)}`);
  if (!iataPattern.test(iata)) return reject('bad_iata', `invalid IATA code '${clip(iata, 20)}'`);
  if (!observerIdPattern.test(observerId))
    return reject('bad_observer_id', `observer id must be 64 hex digits: '${clip(observerId, 20)}'`);
  return { ok: true, value: { iata, observerId: observerId.toUpperCase(), kind } };
}

export interface AdmissionFilters {
  /** Global, case-insensitive; applies to every message. Empty = all. */
  observerIATAWhitelist?: readonly string[];
  /** Observer pubkeys, case-insensitive; drops everything from them. */
  observerBlacklist?: readonly string[];
  /** Per-source, exact and case-sensitive; packets only. Empty = all. */
  iataFilter?: readonly string[];
}

/** Prepared filters: sets built once per source, not per message. */
export interface Admission {
  check(topic: ObserverTopic): Rejection | null;
}

export function admission(filters: AdmissionFilters): Admission {
  const whitelist = new Set((filters.observerIATAWhitelist ?? []).map((s) => s.toUpperCase()));
  const blacklist = new Set((filters.observerBlacklist ?? []).map((s) => s.toUpperCase()));
  const sourceFilter = new Set(filters.iataFilter ?? []);
  return {
    check(topic) {
      if (blacklist.has(topic.observerId))
        return reject('blacklisted', `observer ${topic.observerId.slice(0, 8)} is blacklisted`);
      if (whitelist.size > 0 && !whitelist.has(topic.iata.toUpperCase()))
        return reject('iata_filtered', `IATA ${topic.iata} not in observerIATAWhitelist`);
      if (topic.kind === 'packets' && sourceFilter.size > 0 && !sourceFilter.has(topic.iata))
        return reject('iata_filtered', `IATA ${topic.iata} not in the source's iataFilter`);
      return null;
    },
  };
}

function clip(text: string, max = 80): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
