// Messages between EmbeddedBrokerThread (broker-thread.ts) and its worker (broker-worker.ts).
import type { BrokerStats } from './broker.js';

export type ToBrokerWorker = { t: 'stop' };

export type FromBrokerWorker =
  | { t: 'started'; address: { address: string; family: string; port: number } }
  | { t: 'failed'; message: string; code?: string }
  | { t: 'stats'; stats: BrokerStats }
  | { t: 'stopped' };
