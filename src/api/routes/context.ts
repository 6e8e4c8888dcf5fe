// What the data route modules need from the composition root (src/cli/serve.ts builds it once
// and coreRoutes hands it to each): the store's read model, the config and the clock.
import type { MeshlensConfig } from '../../config/types.js';
import type { MeshReadModel } from '../../store/read-model.js';

export interface ReadRoutesDeps {
  model: MeshReadModel;
  config: Readonly<MeshlensConfig>;
  /** Clock for relative windows (lastHeard, packetsLastHour, since=24h). */
  now: () => number;
}
