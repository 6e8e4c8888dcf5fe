// A real meshlens server for the browser tests: the CoreScope fixture with its times shifted to
// "now" (so "last hour" views have data), or simulator traffic; analytics on; the built UI.
import { startServer, type RunningServer } from '../../../src/server/index.js';
import { freshFixtureCopy } from '../../support/fresh-fixture.js';
import { tempDir, testConfig } from '../../integration/harness.js';

export interface UiServer {
  server: RunningServer;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The fixture (499 packets, 200 nodes, 31 observers), fresh times, on a random port. */
export async function startFixtureServer(extraConfig: Record<string, unknown> = {}): Promise<UiServer> {
  const dir = tempDir('meshlens-web-');
  const { path: dbPath } = freshFixtureCopy(dir);
  const config = testConfig(dir, { dbPath, ...extraConfig });
  const server = await startServer(config, {});
  await server.loaded;
  return { server, url: server.url, dir, stop: () => server.stop() };
}
