// Operations routes (spec ingest-store-api §4.2 "System / health / perf", §7): MQTT source
// status, I/O and SQLite figures, write counters, the dropped-packet sample (API key), the
// audio lab's per-type samples. meshlens runs ingest in the same process as the API, so where
// CoreScope reports its separate ingestor (read from a stats file), meshlens reports its SQLite
// writer thread, which does the ingestor's disk work, and says so (`ingestorIs`).
import type { FastifyPluginAsync } from 'fastify';
import { maskUrl, type SourceStatus } from '../../ingest/source-status.js';
import { payloadTypeName } from '../../protocol/enums.js';
import type { MeshReadModel } from '../../store/read-model.js';
import { readIoCounters, type IoCounters } from '../../util/proc-io.js';
import { badParam, pageLimit } from './params.js';
import { iso, packetItem } from './render.js';

/** The database file's figures, as the writer thread reads them. */
export interface SqliteFigures {
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  cacheSize: number;
  walSize: number;
  journalMode: string;
}

export interface OpsRoutesDeps {
  model: MeshReadModel;
  /** Each MQTT source's status (empty before the sources start). */
  sources: () => SourceStatus[];
  /** The SQLite writer thread's cumulative I/O counters (null where unavailable). */
  writerIo: () => Promise<IoCounters | null>;
  sqlite: () => Promise<SqliteFigures>;
  /** WAL frames at the writer's last checkpoint, when known. */
  walPages: () => { total: number; checkpointed: number; busy: number } | null;
  /** Ingest counters in CoreScope's names plus per-component writer figures. */
  writeSources: () => { sources: Record<string, number | null>; writer_perf: Record<string, unknown> };
  /** Largest `limit` of /dropped-packets (listLimits.packetsMax). */
  maxDroppedLimit: number;
  /** /proc/self/io for this process; replaceable in tests. */
  readProcessIo?: () => IoCounters | null;
}

const MB = 1048576;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Rates between two counter samples (zero on the first call, as CoreScope). */
class IoRates {
  #prev: IoCounters | null = null;
  next(cur: IoCounters | null) {
    const prev = this.#prev;
    if (cur !== null) this.#prev = cur;
    const zero = {
      readBytesPerSec: 0,
      writeBytesPerSec: 0,
      cancelledWriteBytesPerSec: 0,
      syscallsRead: 0,
      syscallsWrite: 0,
    };
    if (cur === null || prev === null) return zero;
    const dt = Math.max(0.001, (cur.atMs - prev.atMs) / 1000);
    return {
      readBytesPerSec: round3((cur.readBytes - prev.readBytes) / dt),
      writeBytesPerSec: round3((cur.writeBytes - prev.writeBytes) / dt),
      cancelledWriteBytesPerSec: round3((cur.cancelledWriteBytes - prev.cancelledWriteBytes) / dt),
      syscallsRead: round3((cur.syscr - prev.syscr) / dt),
      syscallsWrite: round3((cur.syscw - prev.syscw) / dt),
    };
  }
}

/** Every broker URL (or user-info) in free text masked, e.g. in an error message. */
function maskText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (u) => maskUrl(u));
}

const unix = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));

function sourceRow(s: SourceStatus) {
  return {
    name: s.name.includes('@') || s.name.includes('://') ? maskUrl(s.name) : s.name,
    broker: maskUrl(s.broker),
    connected: s.connected,
    lastConnectUnix: unix(s.lastConnectMs),
    lastDisconnectUnix: unix(s.lastDisconnectMs),
    lastPacketUnix: unix(s.lastPacketMs),
    connectCount: s.connectCount,
    disconnectCount: s.disconnectCount,
    packetsTotal: s.packetsTotal,
    packetsLast5m: s.packetsLast5m,
    ...(s.lastError !== null ? { lastError: maskText(s.lastError) } : {}),
    // meshlens: the post-handling clock (spec §1.5's second clock), oversize refusals, watchdog.
    lastHandledUnix: unix(s.lastHandledMs),
    rejectedTotal: s.rejectedTotal,
    silent: s.silent,
  };
}

const SAMPLE_PER_TYPE = 8;
/** Newest transmissions of each type the audio-lab samples are picked from. */
const SAMPLE_DEPTH = 256;

export function opsRoutes(deps: OpsRoutesDeps): FastifyPluginAsync {
  const { model } = deps;
  const processRates = new IoRates();
  const writerRates = new IoRates();
  const readProcessIo = deps.readProcessIo ?? (() => readIoCounters('/proc/self/io'));
  return async (app) => {
    app.get(
      '/mqtt/status',
      {
        schema: {
          summary: 'Per MQTT source: connection state and counters (broker passwords masked)',
          tags: ['system'],
        },
      },
      async () => ({ sources: deps.sources().map(sourceRow), sampleAt: new Date().toISOString() }),
    );

    app.get(
      '/perf/io',
      {
        schema: {
          summary:
            "Disk I/O rates: this process, and under `ingestor` the SQLite writer thread (meshlens's ingest writer)",
          tags: ['system'],
        },
      },
      async () => {
        const own = processRates.next(readProcessIo());
        const counters = await deps.writerIo().catch(() => null);
        const body: Record<string, unknown> = { ...own };
        if (counters !== null)
          body.ingestor = { ...writerRates.next(counters), sampledAt: new Date(counters.atMs).toISOString() };
        body.ingestorIs = 'sqlite writer thread of this process';
        return body;
      },
    );

    app.get(
      '/perf/sqlite',
      { schema: { summary: 'SQLite file figures: WAL, pages, freelist, cache setting', tags: ['system'] } },
      async () => {
        const s = await deps.sqlite();
        return {
          walSizeMB: round3(s.walSize / MB),
          walSize: s.walSize,
          pageCount: s.pageCount,
          pageSize: s.pageSize,
          cacheSize: s.cacheSize,
          // SQLite's page-cache hit counters are not exposed by better-sqlite3.
          cacheHitRate: null,
          dbSizeMB: round3((s.pageCount * s.pageSize) / MB),
          freelistCount: s.freelistCount,
          freelistMB: round3((s.freelistCount * s.pageSize) / MB),
          journalMode: s.journalMode,
          walPages: deps.walPages(),
        };
      },
    );

    app.get(
      '/perf/write-sources',
      { schema: { summary: 'Ingest write counters and per-component writer figures', tags: ['system'] } },
      async () => ({ ...deps.writeSources(), sampleAt: new Date().toISOString() }),
    );

    app.get(
      '/dropped-packets',
      {
        preHandler: app.meshlens.requireApiKey,
        schema: {
          summary: 'The newest dropped-packet samples, filtered by observer and/or node',
          tags: ['system'],
          security: [{ apiKey: [] }],
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer' },
              observer: { type: 'string', maxLength: 128 },
              pubkey: { type: 'string', maxLength: 128 },
            },
          },
        },
      },
      async (request) => {
        const q = request.query as { limit?: number; observer?: string; pubkey?: string };
        const observer = q.observer?.trim();
        const pubkey = q.pubkey?.trim();
        if (pubkey !== undefined && pubkey !== '' && !/^[0-9a-fA-F]+$/.test(pubkey))
          throw badParam('pubkey', 'must be hex');
        const rows = await model.droppedPackets({
          limit: pageLimit(q.limit, 100, deps.maxDroppedLimit),
          ...(observer ? { observerId: observer } : {}),
          ...(pubkey ? { nodePubkey: pubkey } : {}),
        });
        return rows.map((r) => ({
          id: r.id,
          hash: r.hash,
          reason: r.reason,
          observer_id: r.observerId,
          observer_name: r.observerName,
          node_pubkey: r.nodePubkey,
          node_name: r.nodeName,
          dropped_at: iso(r.droppedAtMs),
          ...(r.rawHex !== null ? { raw_hex: r.rawHex } : {}),
        }));
      },
    );

    app.get(
      '/audio-lab/buckets',
      {
        schema: {
          summary: `Up to ${SAMPLE_PER_TYPE} sample packets per payload type, spread over frame length`,
          tags: ['packets'],
        },
      },
      async () => {
        const buckets: Record<string, unknown[]> = {};
        for (const [type, items] of model.payloadTypeSamples(SAMPLE_PER_TYPE, SAMPLE_DEPTH)) {
          (buckets[payloadTypeName(type)] ??= []).push(
            ...items.map((s) => {
              const p = packetItem(s);
              return {
                hash: p.hash,
                raw_hex: p.raw_hex,
                decoded_json: p.decoded_json,
                observation_count: Math.max(1, s.observationCount),
                payload_type: p.payload_type,
                path_json: p.path_json,
                observer_id: p.observer_id,
                timestamp: p.first_seen,
              };
            }),
          );
        }
        return { buckets };
      },
    );
  };
}
