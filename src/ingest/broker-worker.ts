// Worker entry of EmbeddedBrokerThread (broker-thread.ts): the embedded aedes broker with its
// own event loop. Under sustained ingest the broker (MQTT parsing of every publish, topic
// matching, one socket write per delivery) took ~30% of the main thread's time.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../util/thread-priority.js';
import { EmbeddedBroker, type EmbeddedBrokerOptions } from './broker.js';
import type { FromBrokerWorker, ToBrokerWorker } from './broker-protocol.js';

lowerThisThreadPriority();
const port = parentPort!;
const send = (m: FromBrokerWorker): void => port.postMessage(m);
const broker = new EmbeddedBroker(workerData as EmbeddedBrokerOptions);

let last = '';
const timer = setInterval(() => {
  const stats = broker.stats();
  const key = `${stats.clients}/${stats.publishedTotal}/${stats.authFailures}/${stats.publishDenied}`;
  if (key !== last) send({ t: 'stats', stats });
  last = key;
}, 50);

port.on('message', (m: ToBrokerWorker) => {
  if (m.t !== 'stop') return;
  void broker.stop().then(() => {
    clearInterval(timer);
    send({ t: 'stats', stats: broker.stats() });
    send({ t: 'stopped' });
    port.close();
  });
});

broker.start().then(
  (a) => send({ t: 'started', address: { address: a.address, family: a.family, port: a.port } }),
  (err: NodeJS.ErrnoException) => {
    clearInterval(timer);
    send({ t: 'failed', message: err.message, ...(err.code ? { code: err.code } : {}) });
    port.close();
  },
);
