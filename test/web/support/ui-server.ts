// A real meshlens server for the browser tests: the CoreScope fixture with its times shifted to
// "now" (so "last hour" views have data), or simulator traffic; analytics on; the built UI.
import { join } from 'node:path';
import { createSimulator } from '../../../src/sim/index.js';
import { writeDataset } from '../../../src/sim/dataset.js';
import { startServer, type RunningServer, type StartOptions } from '../../../src/server/index.js';
import { freshFixtureCopy } from '../../support/fresh-fixture.js';
import { tempDir, testConfig } from '../../integration/harness.js';
import { until } from '../../support/until.js';

export interface UiServer {
  server: RunningServer;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The fixture (499 packets, 200 nodes, 31 observers), fresh times, on a random port. */
export async function startFixtureServer(
  extraConfig: Record<string, unknown> = {},
  options: Pick<StartOptions, 'holdAnalytics'> = {},
): Promise<UiServer> {
  const dir = tempDir('meshlens-web-');
  const { path: dbPath } = freshFixtureCopy(dir);
  const config = testConfig(dir, { dbPath, ...extraConfig });
  const server = await startServer(config, options);
  await server.loaded;
  if (!options.holdAnalytics && !extraConfig.mqttSources) await ready(server.url);
  return { server, url: server.url, dir, stop: () => server.stop() };
}

/**
 * Simulator traffic: an empty database fed live by the demo simulator through the embedded
 * broker (as `npm start`), at `ratePerSec` packets per second. `warmupMs` of traffic first.
 */
export async function startSimServer(
  opts: {
    ratePerSec?: number;
    seed?: number;
    warmupMs?: number;
    /** Simulated history written to the database before start (ending now), e.g. 3 h. */
    prefillMs?: number;
    extraConfig?: Record<string, unknown>;
  } = {},
): Promise<UiServer> {
  const dir = tempDir('meshlens-web-sim-');
  const dbPath = join(dir, 'sim.db');
  if (opts.prefillMs) {
    const sim = createSimulator('small', {
      seed: opts.seed ?? 7,
      startMs: Date.now() - opts.prefillMs,
      durationMs: opts.prefillMs,
    });
    writeDataset(sim, dbPath);
  }
  const config = testConfig(dir, { dbPath, ...opts.extraConfig });
  const server = await startServer(config, {
    demo: { ratePerSec: opts.ratePerSec ?? 20, seed: opts.seed ?? 7 },
  });
  await server.loaded;
  await ready(server.url);
  if (opts.warmupMs) await new Promise((r) => setTimeout(r, opts.warmupMs));
  return { server, url: server.url, dir, stop: () => server.stop() };
}

/**
 * Waits for /api/healthz to be 200: the store loaded AND the embedded broker's source subscribed
 * (issue 13: ready means subscribed). A page opened before would see the 503 as a console error.
 */
async function ready(url: string): Promise<void> {
  await until(async () => (await fetch(`${url}/api/healthz`)).ok, {
    what: 'healthz 200',
    timeoutMs: 15_000,
    intervalMs: 25,
  });
}
