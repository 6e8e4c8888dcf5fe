// Analytics worker entry. Maps the store's SharedArrayBuffers once (workerData), then for each
// request: refresh the view (new chunks arrive on the port), compute over the shared columns,
// serialize and gzip once, and transfer the bytes back (analytics-protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { gzipSync, constants as zlib } from 'node:zlib';
import { StoreView } from '../../store/memory/reader.js';
import { StoreInput } from '../inputs/store-input.js';
import { ANALYTIC_BY_NAME, lazyContext, type ComputeContext } from '../registry.js';
import { computeNodeClockSkew } from '../compute/clock-skew-nodes.js';
import { computeGeoPrunePreview } from '../compute/geo-prune.js';
import { computeSubpathDetail, computeSubpathsBulk } from '../compute/subpaths.js'; // t1
import { NO_HIDING } from '../shared/subpath-index.js'; // t1
import { computePathsInspect } from '../compute/paths-inspect.js'; // t5
import { computeNeighborTable } from '../compute/neighbor-graph.js';
import { computeEntity } from '../compute/entity.js';
import { computePacketFilter } from '../compute/packet-filter.js';
import type {
  IdListResult,
  ProbeResult,
  RequestMessage,
  ResponseMessage,
  ResultBody,
  Task,
  WorkerInit,
} from './analytics-protocol.js';
import { setThisThreadNice, threadCpuMs } from '../../util/thread-priority.js';

const init = workerData as WorkerInit;
const view = new StoreView(init.handle, init.port);
const input = new StoreInput(view);

/**
 * On a 2-core machine a busy worker competes with the event loop for a core; a higher nice
 * value for this thread alone lets the kernel prefer the loop. A task may ask for normal
 * priority (`urgent`: its snapshot is already too stale), so a loaded machine cannot starve
 * the recomputer indefinitely (util/thread-priority.ts; Linux only).
 */
let niceNow = 0;
function setNiceness(niceness: number): void {
  if (niceness === niceNow) return;
  if (setThisThreadNice(niceness)) niceNow = niceness;
}
setNiceness(Math.max(0, init.niceness));

/**
 * Everything a compute reads, as one number that grows with every append or in-place update
 * (row counts plus mutation counters: the service's `dataVersion`, read from the same shared
 * counters), so the recomputer can tell which data a snapshot saw.
 */
function dataVersion(): number {
  return (
    view.tx.committedRows() +
    view.obs.committedRows() +
    view.nodes.committedRows() +
    view.observers.committedRows() +
    view.tx.mutationCount() +
    view.obs.mutationCount() +
    view.nodes.mutationCount() +
    view.observers.mutationCount()
  );
}

type Snap = ReturnType<StoreInput['snapshot']>;

/**
 * The current snapshot and its shared intermediates (clock-skew engine and fleet, best
 * observations, hop resolver and neighbour graph; spec §9 item 2). Reused while the data has
 * not changed; under steady ingest, by each default-query analytic at most once and for at most
 * `reuseMs` after it was taken. A recompute round of the nine thus shares one build (a round
 * longer than a fixed reuse window used to rebuild the intermediates mid-round), and the
 * second time an analytic comes round it starts a new snapshot.
 */
let shared: {
  version: number;
  takenAt: number;
  computedAtMs: number;
  snap: Snap;
  ctx: ComputeContext;
  /** Default-query analytics already computed over this snapshot. */
  served: Set<string>;
} | null = null;

function current(nowMs: number, reuseMs: number, fresh: boolean, name: string | null) {
  const version = dataVersion();
  const t = performance.now();
  if (
    shared &&
    !fresh &&
    (shared.version === version ||
      (t - shared.takenAt <= reuseMs && (name === null || !shared.served.has(name))))
  ) {
    if (name !== null) shared.served.add(name);
    return shared;
  }
  const snap = input.snapshot(nowMs);
  const served = new Set<string>(name === null ? [] : [name]);
  shared = { version, takenAt: t, computedAtMs: Date.now(), snap, ctx: lazyContext(snap), served };
  return shared;
}

/** Whether a query is the default one (the recomputer's snapshots). */
function isDefault(q: { regions: unknown; fromMs: unknown; toMs: unknown; area: unknown }): boolean {
  return q.regions === null && q.fromMs === null && q.toMs === null && q.area === null;
}

function encode(
  value: unknown,
  cur: NonNullable<typeof shared>,
  started: number,
  cpuStarted: number,
): ResultBody {
  const { computedAtMs } = cur;
  const json = Buffer.from(value === null ? 'null' : JSON.stringify(value));
  // Level 6 is zlib's default; a Z_FILTERED-free default strategy suits JSON text.
  const gz = gzipSync(json, { level: 6, strategy: zlib.Z_DEFAULT_STRATEGY });
  // Copy into an exactly sized ArrayBuffer we own, so it can be transferred (zlib's output may
  // be a slice of a larger pooled buffer).
  const out = new ArrayBuffer(gz.length);
  new Uint8Array(out).set(gz);
  return {
    gzip: out,
    jsonBytes: json.length,
    computedAtMs,
    durationMs: performance.now() - started,
    cpuMs: threadCpuMs() - cpuStarted,
    counts: cur.snap.counts,
    dataVersion: cur.version,
    empty: value === null,
  };
}

/**
 * A packet-filter scan reads the view directly (no analytics snapshot: it needs none of the
 * shared intermediates), with the row counts a snapshot would freeze.
 */
function runPacketFilter(task: Extract<Task, { kind: 'packet-filter' }>): IdListResult {
  const started = performance.now();
  if (task.niceness !== undefined) setNiceness(task.niceness);
  const version = dataVersion();
  const obsCommitted = view.obs.committedRows();
  const c = view.refresh();
  const counts = { ...c, obs: Math.min(obsCommitted, c.obs) };
  const r = computePacketFilter(view, counts, task.ast, task.nowMs, task.visibility);
  // An exactly sized buffer of our own, so it can be transferred.
  const ids = r.ids.buffer.byteLength === r.ids.byteLength ? r.ids.buffer : r.ids.slice().buffer;
  return {
    ids: ids as ArrayBuffer,
    dataVersion: version,
    computedAtMs: Date.now(),
    durationMs: performance.now() - started,
    scanned: r.scanned,
  };
}

function run(task: Task): ResultBody | ProbeResult | IdListResult {
  if (task.kind === 'packet-filter') return runPacketFilter(task);
  if (task.kind === 'probe') {
    const table = task.table === 'tx' ? view.tx : view.obs;
    view.refresh();
    const buf = table.chunks[task.chunk];
    return {
      value: new Uint8Array(buf)[task.byteOffset],
      shared: buf instanceof SharedArrayBuffer,
      viewBytes: view.byteLength(),
    };
  }
  const started = performance.now();
  const cpuStarted = threadCpuMs();
  if (task.niceness !== undefined) setNiceness(task.niceness);
  // t2: a background shape with its own parameters counts as its own analytic for reuse.
  const name =
    task.kind === 'analytic' && isDefault(task.query) && (task.args ?? null) === null
      ? task.name + (task.query.params ? `|${JSON.stringify(task.query.params)}` : '')
      : null;
  const cur = current(task.nowMs, task.reuseMs ?? 0, task.fresh === true, name);
  const { snap, ctx, computedAtMs } = cur;
  if (task.kind === 'geo-prune-preview') {
    return encode(computeGeoPrunePreview(snap, task.filter), cur, started, cpuStarted);
  }
  // t5
  if (task.kind === 'paths-inspect') {
    return encode(computePathsInspect(snap, ctx.paths(), task.request), cur, started, cpuStarted);
  }
  // t2
  if (task.kind === 'neighbor-table') {
    return encode(computeNeighborTable(snap, ctx.paths(), task.maxEdgeKm), cur, started, cpuStarted);
  }
  // t4
  if (task.kind === 'entity') {
    return encode(computeEntity(snap, task, ctx), cur, started, cpuStarted);
  }
  if (task.kind === 'node-clock-skew') {
    return encode(computeNodeClockSkew(snap, task.pubkey, ctx.engine()), cur, started, cpuStarted);
  }
  // t1: route patterns
  if (task.kind === 'subpaths-bulk') {
    const value = computeSubpathsBulk(
      snap,
      task.query,
      ctx.paths(),
      ctx.subpaths,
      task.groups,
      task.visibility,
    );
    return encode(value, cur, started, cpuStarted);
  }
  if (task.kind === 'subpath-detail') {
    const value = computeSubpathDetail(snap, ctx.paths(), ctx.subpaths(), task.hops, task.visibility);
    return encode(value, cur, started, cpuStarted);
  }
  const spec = ANALYTIC_BY_NAME.get(task.name);
  if (!spec) throw new Error(`unknown analytic ${task.name}`);
  const value = spec.compute(snap, task.query, ctx, {
    args: task.args ?? null,
    visibility: task.visibility ?? NO_HIDING,
    options: task.options ?? {},
  });
  // Object shapes carry their snapshot time in the body too (spec §9 item 1).
  const body =
    spec.shape === 'object' && value !== null && typeof value === 'object'
      ? { ...(value as object), computedAt: new Date(computedAtMs).toISOString() }
      : value;
  return encode(body, cur, started, cpuStarted);
}

parentPort!.on('message', (msg: RequestMessage) => {
  let reply: ResponseMessage;
  const transfer: ArrayBuffer[] = [];
  try {
    const result = run(msg.task);
    if ('gzip' in result) transfer.push(result.gzip);
    if ('ids' in result) transfer.push(result.ids);
    reply = { taskId: msg.taskId, ok: true, result };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { taskId: msg.taskId, ok: false, error: { message: e.message, stack: e.stack } };
  }
  parentPort!.postMessage(reply, transfer);
});
