// Public surface of the mesh simulator (issue 4): scenarios, the message stream, ground truth
// and the MQTT publisher.
export {
  PRESETS,
  resolveScenario,
  type ScenarioConfig,
  type ScenarioOverrides,
  type RegionSpec,
} from './config.js';
export { Simulator, type SimCounts } from './simulator.js';
export type {
  SimMessage,
  SimPacketMessage,
  SimStatusMessage,
  ObserverPacketPayload,
  ObserverStatusPayload,
} from './messages.js';
export {
  groundTruth,
  type GroundTruth,
  type NodeTruth,
  type ObserverTruth,
  type LinkTruth,
} from './ground-truth.js';
export type { SentInfo } from './traffic.js';
export type { SimChannel } from './channels.js';
export { Prng } from './prng.js';

import { resolveScenario, type ScenarioOverrides } from './config.js';
import { Simulator } from './simulator.js';

/** A simulator for a named scale with overrides: `createSimulator('small', { seed: 7 })`. */
export function createSimulator(scale: string, overrides: ScenarioOverrides = {}): Simulator {
  return new Simulator(resolveScenario(scale, overrides));
}
