// Every input accounted for: the ledger (what was sent per surface and how each ended) against
// the server's own counters (/api/health before and after: ingest, rejections by reason, the
// MQTT source, the WebSocket feed, the writer) and the rows in SQLite.
import Database from 'better-sqlite3';
import type { Ledger } from './ledger.js';

export interface Check {
  name: string;
  expected: number | string;
  actual: number | string;
  ok: boolean;
}

/** Reasons the MQTT front end gives before the pipeline (observer-topic.ts, mqtt-source.ts). */
export const PARSE_CODES = [
  'oversize',
  'unknown_topic',
  'ignored_topic',
  'bad_iata',
  'bad_observer_id',
  'iata_filtered',
  'blacklisted',
  'invalid_json',
  'not_an_object',
  'missing_raw',
  'invalid_raw',
];
/** POST /api/packets reasons answered by the route itself, before the pipeline. */
const ROUTE_REASONS = new Set(['missing_raw', 'invalid_raw']);

type Health = Record<string, any>;

export function reconcile(ledger: Ledger, before: Health, after: Health, dbPath: string): Check[] {
  const checks: Check[] = [];
  const eq = (name: string, expected: number, actual: number) =>
    checks.push({ name, expected, actual, ok: expected === actual });
  const d = (get: (h: Health) => number | undefined) => (get(after) ?? 0) - (get(before) ?? 0);
  const byCode = (code: string) => d((h) => h.rejections?.byCode?.[code]);

  // The minimiser's retries (`replay`) went the direct way.
  const direct = (p: string) => ledger.count('direct', p) + ledger.count('replay', p);
  // POST /api/packets counts its own refusals (missing_raw, invalid_raw) under the same reasons.
  const postRoute = (code: string) =>
    ROUTE_REASONS.has(code) ? ledger.count('post-packets', `http:400:MESHLENS_ERR_BAD_BODY:${code}`) : 0;
  const parse = (code: string) =>
    direct(`rejected:${code}`) + ledger.count('mqtt', `rejected:${code}`) + postRoute(code);
  for (const code of PARSE_CODES)
    if (parse(code) + byCode(code) > 0) eq(`rejections.byCode.${code}`, parse(code), byCode(code));
  const parseTotal = PARSE_CODES.reduce((n, c) => n + byCode(c), 0);

  const mqttSource = (h: Health) => {
    const s = h.mqtt?.sources?.[0];
    return s ? s.packetsTotal + s.rejectedTotal : 0;
  };
  eq('mqtt source: messages received = published', ledger.sent.mqtt, d(mqttSource));
  // After the malformed MQTT of `mqtt-raw`: the broker and the source's session are still up.
  eq('mqtt source connected at the end', 1, after.mqtt?.sources?.[0]?.connected ? 1 : 0);

  const statuses = direct('status') + ledger.count('mqtt', 'status');
  const directPackets =
    direct('stored') +
    direct('dedup') +
    direct('exception') +
    pipelineRejects(ledger, 'direct') +
    pipelineRejects(ledger, 'replay');
  const postReached =
    ledger.count('post-packets', 'http:200') +
    Object.entries(ledger.outcomes['post-packets'])
      .filter(([k]) => /^http:400:MESHLENS_ERR_BAD_BODY:/.test(k) && !ROUTE_REASONS.has(k.split(':')[3]))
      .reduce((n, [, v]) => n + v, 0);
  const packetsExpected = directPackets + ledger.count('mqtt', 'packet') + postReached;
  // A full ingest queue drops queued MQTT messages (counted as queue_full); then only the sum holds.
  const queueDropped = d((h) => h.ingest?.queue?.dropped);
  if (queueDropped === 0) {
    eq(
      'ingest.statuses = status messages',
      statuses,
      d((h) => h.ingest?.statuses),
    );
    eq(
      'ingest.packets = packet inputs reaching the pipeline',
      packetsExpected,
      d((h) => h.ingest?.packets),
    );
  } else
    eq(
      'ingest.packets + statuses + queue drops = inputs reaching the pipeline',
      packetsExpected + statuses,
      d((h) => h.ingest?.packets) + d((h) => h.ingest?.statuses) + queueDropped,
    );

  const pipelineRejected = d((h) => h.rejections?.total) - parseTotal - queueDropped;
  eq(
    'ingest.packets = new observations + redeliveries + pipeline rejections',
    d((h) => h.ingest?.packets),
    d((h) => h.ingest?.observationsNew) + d((h) => h.ingest?.redeliveries) + pipelineRejected,
  );

  checks.push(websocketCheck(ledger, before, after));
  const w = after.writer ?? {};
  eq('writer.droppedOps', 0, w.droppedOps ?? 0);
  eq('writer.writeErrors', 0, w.writeErrors ?? 0);
  checks.push(...storedRows(after, dbPath));
  return checks;
}

/** Every answered WebSocket message was counted (a close right after one may have eaten its reply). */
function websocketCheck(ledger: Ledger, before: Health, after: Health): Check {
  const ws = (h: Health) => (h.websocket?.subscribeRequests ?? 0) + (h.websocket?.badClientMessages ?? 0);
  const replies = ledger.count('ws', 'reply');
  const closes = Object.entries(ledger.outcomes.ws)
    .filter(([k]) => k.startsWith('closed:') && k !== 'closed:1009')
    .reduce((n, [, v]) => n + v, 0);
  const counted = ws(after) - ws(before);
  return {
    name: 'websocket: answered messages counted',
    expected: `${replies}..${replies + closes}`,
    actual: counted,
    ok: counted >= replies && counted <= replies + closes,
  };
}

/** Direct inputs that passed the parse and were rejected by the pipeline (decode, gate, store). */
function pipelineRejects(ledger: Ledger, surface: 'direct' | 'replay'): number {
  let n = 0;
  for (const [k, v] of Object.entries(ledger.outcomes[surface]))
    if (k.startsWith('rejected:') && !PARSE_CODES.includes(k.slice('rejected:'.length))) n += v;
  return n;
}

/** SQLite rows = memory rows = what the pipeline counted (the database was empty at start). */
function storedRows(after: Health, dbPath: string): Check[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const ing = after.ingest ?? {};
    const mem = after.store?.memory?.rows ?? {};
    const obs = count('observations');
    const tx = count('transmissions');
    const metrics = count('observer_metrics');
    const dropped = count('dropped_packets');
    const droppedExpected = (ing.droppedSamplesWritten ?? 0) - (after.writer?.droppedPacketsTrimmed ?? 0);
    return [
      {
        name: 'SQLite observations = ingest.observationsNew',
        expected: ing.observationsNew,
        actual: obs,
        ok: obs === ing.observationsNew,
      },
      {
        name: 'memory observations = SQLite observations',
        expected: obs,
        actual: mem.observations,
        ok: mem.observations === obs,
      },
      {
        name: 'SQLite transmissions = ingest.transmissionsNew',
        expected: ing.transmissionsNew,
        actual: tx,
        ok: tx === ing.transmissionsNew,
      },
      {
        name: 'memory transmissions = SQLite transmissions',
        expected: tx,
        actual: mem.transmissions,
        ok: mem.transmissions === tx,
      },
      {
        name: 'SQLite observer_metrics ≤ statuses (one row per observer and second)',
        expected: `1..${ing.statuses}`,
        actual: metrics,
        ok: ing.statuses === 0 ? metrics === 0 : metrics >= 1 && metrics <= ing.statuses,
      },
      {
        name: 'SQLite dropped_packets = samples written - trimmed',
        expected: droppedExpected,
        actual: dropped,
        ok: dropped === droppedExpected,
      },
    ];
  } finally {
    db.close();
  }
}
