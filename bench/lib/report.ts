// The benchmark result format (JSON, one object per scale) and its markdown rendering.
import type { LoadResult } from './http-load.js';
import type { ParamResult } from './param-routes.js';
import type { LoopWindow, ServerStartup } from './server.js';
import { round } from './stats.js';

export interface AnalyticsRow {
  condition: string;
  load: LoadResult;
  /** The server's event-loop delay during this load step alone. */
  loop?: LoopWindow | null;
}

/** An analytics phase's own event-loop delay window (loop-probe.mjs). */
export interface LoopPhase {
  phase: string;
  window: LoopWindow | null;
}

export interface EventLoopSample {
  phase: string;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface ScaleResult {
  scale: string;
  seed: number;
  dataset: {
    path: string;
    fromCache: boolean;
    generatedS: number | null;
    generationCpuS: number | null;
    sizeMb: number;
    transmissions: number | null;
    observations: number | null;
    nodes: number | null;
    observers: number | null;
  };
  startup: {
    runs: ServerStartup[];
    listenMs: number | null;
    storeLoadedMs: number | null;
    readyMs: number | null;
    analyticsReadyMs: number | null;
    rssMb: number | null;
  };
  /**
   * Core routes: loads[0] under 8 clients, loads[1] under 64 (★ routes only); `loop` is the
   * server's event-loop delay while the 8-client load ran.
   */
  routes: { route: string; core: boolean; loads: LoadResult[]; loop: LoopWindow | null }[];
  /** Reference routes (spec §4.2) the server did not list in /api/spec. */
  routesNotServed: string[];
  /** Served reference routes that were not loaded, and why. */
  routesSkipped: { route: string; why: string }[];
  eventLoop: EventLoopSample[];
  ingest: {
    published: number;
    publishedPerS: number;
    packetsProcessed: number;
    observationsStored: number;
    observationsPerS: number;
    packetsPerS: number;
    dropped: number;
    maxQueueDepth: number | null;
    seconds: number;
    distinctMessages: number;
    rssMbAfter: number | null;
  } | null;
  analytics: {
    /** The snapshot-served analytics routes (one per ANALYTICS entry), cycled by the GET rows. */
    snapshotRoutes?: string[];
    rows: AnalyticsRow[];
    perAnalytic: {
      name: string;
      /** Passes ended while recomputing with no client load (issue 10's compute time). */
      quietMsMedian?: number | null;
      quietMsMax?: number | null;
      quietSamples?: number;
      computeMsMedian: number | null;
      computeMsMax: number | null;
      samples: number;
      maxSnapshotAgeMsIdleRecompute: number | null;
      maxSnapshotAgeMsIngest: number | null;
    }[];
    totalRecomputeMs: number;
    eventLoop: EventLoopSample[];
    /** Per-phase event-loop windows: quiet recompute, each GET step, each parameterised step. */
    loopWindows?: LoopPhase[];
    /** Parameterised routes (issue 10), measured on the first server before the core routes. */
    params?: ParamResult[];
    paramNotes?: string[];
    rssMb: number | null;
  } | null;
}

const f = (x: number | null | undefined, d = 0): string => {
  const r = round(x ?? null, d);
  return r === null ? '—' : r.toLocaleString('en-US', { maximumFractionDigits: d });
};
const verdict = (value: number | null, limit: number): string =>
  value === null ? 'not measured' : value <= limit ? 'met' : '**missed**';

function targets(r: ScaleResult): string[] {
  const rows: string[] = [];
  if (r.scale === 'staging')
    rows.push(
      `| staging dataset generated | ${f(r.dataset.generatedS, 1)} s | <= 120 s | ${verdict(r.dataset.generatedS, 120)} |`,
    );
  if (r.scale === 'cascadia') {
    rows.push(
      `| HTTP listening after start | ${f(r.startup.listenMs)} ms | <= 1,000 ms | ${verdict(r.startup.listenMs, 1000)} |`,
    );
    rows.push(
      `| fully loaded (store) | ${f(r.startup.storeLoadedMs)} ms | <= 20,000 ms | ${verdict(r.startup.storeLoadedMs, 20000)} |`,
    );
    rows.push(`| RSS after load | ${f(r.startup.rssMb)} MB | <= 600 MB | ${verdict(r.startup.rssMb, 600)} |`);
  }
  const measured = r.routes.filter((x) => !x.route.includes('(baseline)'));
  if (r.scale === 'staging' && measured.length) {
    const worst = measured.reduce((a, b) => (b.loads[0].p99Ms > a.loads[0].p99Ms ? b : a));
    rows.push(
      `| every core route p99, 8 clients (worst: ${worst.route}) | ${f(worst.loads[0].p99Ms)} ms | <= 20 ms | ${verdict(worst.loads[0].p99Ms, 20)} |`,
    );
    const loops = measured.filter((x) => x.loop);
    const worstLoop = loops.length ? loops.reduce((a, b) => (b.loop!.p99Ms > a.loop!.p99Ms ? b : a)) : null;
    rows.push(
      `| event-loop p99 while a core route is hit (worst: ${worstLoop?.route ?? '—'}) | ${f(worstLoop?.loop?.p99Ms, 1)} ms | <= 20 ms | ${verdict(worstLoop?.loop?.p99Ms ?? null, 20)} |`,
    );
    const failing = measured.filter((x) => x.loads.some((l) => l.non2xx > 0));
    if (failing.length)
      rows.push(
        `| routes with non-2xx answers (their latency is not a measurement) | ${failing.length} | 0 | **missed** |`,
      );
    if (r.routesNotServed.length)
      rows.push(
        `| reference routes not served (not in /api/spec) | ${r.routesNotServed.length} | 0 | **missed** |`,
      );
  }
  if (r.analytics && r.scale !== 'fixture') {
    const a = r.analytics;
    rows.push(
      `| all ${a.perAnalytic.length} analytics recomputed (sum of medians while loaded) | ${f(a.totalRecomputeMs)} ms | <= 2,000 ms | ${verdict(a.totalRecomputeMs, 2000)} |`,
    );
    const p99 = Math.max(...a.rows.filter((x) => x.condition !== 'idle').map((x) => x.load.p99Ms));
    rows.push(
      `| analytics GET p99 (worst, while recomputing/ingesting) | ${f(p99)} ms | <= 5 ms | ${verdict(p99, 5)} |`,
    );
    const eld = Math.max(...a.eventLoop.map((e) => e.p99Ms ?? 0));
    rows.push(
      `| event-loop delay p99 (cumulative, analytics server) | ${f(eld, 1)} ms | <= 20 ms | ${verdict(eld, 20)} |`,
    );
    const stale = Math.max(...a.perAnalytic.map((x) => x.maxSnapshotAgeMsIngest ?? 0));
    rows.push(
      `| staleness while ingesting 500/s (max snapshot age) | ${f(stale / 1000, 1)} s | <= 10 s | ${verdict(stale, 10_000)} |`,
    );
  }
  return rows;
}

const worstOf = <T>(xs: T[], v: (x: T) => number | null | undefined): T | null =>
  xs.reduce<T | null>(
    (a, b) => ((v(b) ?? -Infinity) > (a === null ? -Infinity : (v(a) ?? -Infinity)) ? b : a),
    null,
  );

/** Issue 10's analytics targets (set for staging; rendered at every scale). */
export function analyticsTargets(a: NonNullable<ScaleResult['analytics']>): string[] {
  const rows: string[] = [];
  const computes = a.perAnalytic.filter((x) => x.quietSamples !== undefined);
  if (computes.length) {
    const unmeasured = computes.filter((x) => !x.quietSamples).map((x) => x.name);
    const worst = worstOf(computes, (x) => x.quietMsMax);
    rows.push(
      `| every background compute, no client load (worst max: ${worst?.name ?? '—'}) | ${f(worst?.quietMsMax, 1)} ms | <= 500 ms | ${verdict(worst?.quietMsMax ?? null, 500)} |`,
    );
    if (unmeasured.length)
      rows.push(`| analytics with no pass in that window | ${unmeasured.join(', ')} | none | **missed** |`);
  }
  const x8 = a.rows.filter((x) => x.load.connections === 8);
  const worstGet = worstOf(x8, (x) => x.load.p99Ms);
  if (worstGet)
    rows.push(
      `| snapshot GET p99, 8 clients, ${a.snapshotRoutes?.length ?? ''} routes cycled (worst: ${worstGet.condition}) | ${f(worstGet.load.p99Ms)} ms | <= 5 ms | ${verdict(worstGet.load.p99Ms, 5)} |`,
    );
  for (const p of a.params ?? []) {
    if (p.limitMs === null) continue;
    const worse = Math.max(p.first.p99Ms ?? Infinity, p.repeat.p99Ms);
    const bad = p.first.non2xx + p.repeat.non2xx;
    rows.push(
      `| ${p.name} p99: first (uncached) / cached x8 | ${f(p.first.p99Ms, 1)} / ${f(p.repeat.p99Ms)} ms | <= ${p.limitMs} ms | ${bad ? `not a measurement (${bad} non-2xx)` : verdict(worse, p.limitMs)} |`,
    );
  }
  const windows = (a.loopWindows ?? []).filter((w) => w.window);
  const worstLoop = worstOf(windows, (w) => w.window?.p99Ms);
  if (worstLoop)
    rows.push(
      `| event-loop delay p99, every analytics phase (worst: ${worstLoop.phase}) | ${f(worstLoop.window?.p99Ms, 1)} ms | <= 20 ms | ${verdict(worstLoop.window?.p99Ms ?? null, 20)} |`,
    );
  return rows;
}

export function renderMarkdown(env: Record<string, unknown>, results: ScaleResult[]): string {
  const out: string[] = [];
  const o = env.options as Record<string, number>;
  out.push(`# meshlens bench — ${env.date}`, '');
  out.push(
    `node ${env.node}, ${env.cpus}, ${env.memGb} GB, load average at the end ${JSON.stringify(env.loadAvg)}, commit ${env.commit}; ` +
      `seed ${o.seed}, ${o.runs} startup runs (medians), ${o.durationS} s per load step, ${o.ingestS} s ingest.`,
    '',
  );
  for (const r of results) {
    const d = r.dataset;
    out.push(`## ${r.scale}`, '');
    out.push(
      `Dataset: ${f(d.transmissions)} transmissions, ${f(d.observations)} observations, ${f(d.nodes)} nodes, ${f(d.observers)} observers, ${f(d.sizeMb)} MB; ` +
        (d.generatedS === null
          ? 'the real fixture.'
          : `generated in ${f(d.generatedS, 1)} s wall, ${f(d.generationCpuS, 1)} s CPU${d.fromCache ? ' (cached; times from when it was made)' : ''}.`),
      '',
    );
    const t = targets(r);
    if (t.length) out.push('| target | measured | limit | |', '|---|---|---|---|', ...t, '');
    const s = r.startup;
    out.push('| startup (median of runs) | ms |', '|---|---|');
    out.push(`| HTTP listening | ${f(s.listenMs)} |`);
    out.push(`| store loaded (log line) | ${f(s.storeLoadedMs)} |`);
    out.push(`| /api/healthz 200 | ${f(s.readyMs)} |`);
    out.push(`| every analytic's first snapshot | ${f(s.analyticsReadyMs)} |`);
    out.push(`| RSS after load (MB) | ${f(s.rssMb)} |`, '');
    if (r.routes.length) {
      out.push(
        'Core routes: every GET route of the reference list that the server serves, one after another; ' +
          '8 clients, then 64 for ★ routes; event loop = the server main thread during the 8-client run.',
        '',
      );
      out.push(
        '| route | x8 p50 ms | x8 p99 ms | x8 req/s | loop p99 ms | loop max ms | x64 p50 ms | x64 p99 ms | x64 req/s | non-2xx |',
      );
      out.push('|---|---|---|---|---|---|---|---|---|---|');
      for (const rt of r.routes) {
        const [a, b] = rt.loads;
        out.push(
          `| ${rt.core ? '★ ' : ''}${rt.route} | ${f(a.p50Ms)} | ${f(a.p99Ms)} | ${f(a.rps)} | ${f(rt.loop?.p99Ms, 1)} | ${f(rt.loop?.maxMs, 1)} | ${f(b?.p50Ms)} | ${f(b?.p99Ms)} | ${f(b?.rps)} | ${a.non2xx + (b?.non2xx ?? 0)} |`,
        );
      }
      out.push('');
    }
    if (r.routesSkipped?.length)
      out.push(
        `Served but not loaded: ${r.routesSkipped.map((x) => `${x.route} (${x.why})`).join('; ')}.`,
        '',
      );
    if (r.routesNotServed?.length)
      out.push(`Reference routes not served (not in /api/spec): ${r.routesNotServed.join(', ')}.`, '');
    if (r.ingest) {
      const i = r.ingest;
      out.push(
        `Ingest over MQTT (${i.distinctMessages.toLocaleString('en-US')} distinct staging-scale messages, flat out for the set time): ` +
          `published ${f(i.publishedPerS)} msg/s; the server processed ${f(i.packetsPerS)} packets/s and stored ` +
          `**${f(i.observationsPerS)} observations/s** (${f(i.observationsStored)} in ${f(i.seconds, 1)} s until drained), ` +
          `${f(i.dropped)} dropped by the full ingest queue (max depth ${f(i.maxQueueDepth)}); RSS after ${f(i.rssMbAfter)} MB.`,
        '',
      );
    }
    if (r.analytics) {
      const a = r.analytics;
      const t = analyticsTargets(a);
      if (t.length)
        out.push(
          `Analytics targets (issue 10; the limits are set for staging${r.scale === 'staging' ? '' : ', so at this scale they are informative'}):`,
          '',
          '| target | measured | limit | |',
          '|---|---|---|---|',
          ...t,
          '',
        );
      const quietTotal = a.perAnalytic.reduce((s, x) => s + (x.quietMsMedian ?? 0), 0);
      out.push(
        'Compute times (`lastDurationMs` of each pass that ended in the window, worker wall time; /api/perf ' +
          'reports no per-analytic CPU time): with no client load, then while the GET steps below ran.',
        '',
        '| analytic | no load: median ms | max ms | passes | <= 500 ms | loaded: median ms | max | passes | max snapshot age s (recomputing) | (ingesting 500/s) |',
      );
      out.push('|---|---|---|---|---|---|---|---|---|---|');
      for (const x of a.perAnalytic)
        out.push(
          `| ${x.name} | ${f(x.quietMsMedian, 1)} | ${f(x.quietMsMax, 1)} | ${x.quietSamples ?? '—'} | ${verdict(x.quietMsMax ?? null, 500)} | ${f(x.computeMsMedian)} | ${f(x.computeMsMax)} | ${x.samples} | ${f((x.maxSnapshotAgeMsIdleRecompute ?? NaN) / 1000, 1)} | ${f((x.maxSnapshotAgeMsIngest ?? NaN) / 1000, 1)} |`,
        );
      out.push(`| **total** | **${f(quietTotal)}** | | | | **${f(a.totalRecomputeMs)}** | | | | |`, '');
      const quietLoop = a.loopWindows?.find((w) => w.phase.startsWith('recomputing, no client load'))?.window;
      if (quietLoop)
        out.push(
          `Event loop while recomputing with no client load: p99 ${f(quietLoop.p99Ms, 1)} ms, max ${f(quietLoop.maxMs, 1)} ms.`,
          '',
        );
      out.push(
        `| snapshot-served analytics GET (${a.snapshotRoutes?.length ?? 'all'} routes cycled) | clients | p50 ms | p99 ms | req/s | non-2xx | loop p99 ms | loop max ms |`,
        '|---|---|---|---|---|---|---|---|',
      );
      for (const x of a.rows)
        out.push(
          `| ${x.condition} | ${x.load.connections} | ${f(x.load.p50Ms)} | ${f(x.load.p99Ms)} | ${f(x.load.rps)} | ${x.load.non2xx} | ${f(x.loop?.p99Ms, 1)} | ${f(x.loop?.maxMs, 1)} |`,
        );
      out.push('');
      if (a.params?.length) {
        out.push(
          'Parameterised analytics routes (first server, before the core routes): each distinct request once, ' +
            'one after another (first = uncached: the compute), then the same set cycled by 8 clients ' +
            '(cached: the TTL cache answers); loop = server event-loop delay p99 in each window.',
          '',
          '| route | distinct | first p50 ms | first p99 ms | first max ms | cached x8 p50 ms | cached x8 p99 ms | cached req/s | non-2xx | loop p99 ms first / cached | target p99 | |',
          '|---|---|---|---|---|---|---|---|---|---|---|---|',
        );
        for (const p of a.params) {
          const worse = Math.max(p.first.p99Ms ?? Infinity, p.repeat.p99Ms);
          out.push(
            `| ${p.name} | ${p.distinct} | ${f(p.first.p50Ms, 1)} | ${f(p.first.p99Ms, 1)} | ${f(p.first.maxMs, 1)} | ${f(p.repeat.p50Ms)} | ${f(p.repeat.p99Ms)} | ${f(p.repeat.rps)} | ${p.first.non2xx + p.repeat.non2xx} | ${f(p.firstLoop?.p99Ms, 1)} / ${f(p.repeatLoop?.p99Ms, 1)} | ${p.limitMs === null ? '—' : `<= ${p.limitMs} ms`} | ${p.limitMs === null ? '' : p.first.non2xx + p.repeat.non2xx ? 'non-2xx' : verdict(worse, p.limitMs)} |`,
          );
        }
        out.push('');
      }
      if (a.paramNotes?.length) out.push(`Not measured: ${a.paramNotes.join('; ')}.`, '');
    }
    const eld = [...r.eventLoop, ...(r.analytics?.eventLoop ?? [])];
    if (eld.length) {
      out.push('| event-loop delay (server, /api/health) | p99 ms | max ms |', '|---|---|---|');
      for (const e of eld) out.push(`| ${e.phase} | ${f(e.p99Ms, 1)} | ${f(e.maxMs, 1)} |`);
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
