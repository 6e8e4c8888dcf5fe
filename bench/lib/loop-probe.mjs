// Preloaded into the benchmarked server (`node --import bench/lib/loop-probe.mjs bin/meshlens.js
// serve`): an event-loop delay histogram of the server's main thread that the bench reads and
// resets over the IPC channel, so that a phase (one route under load) gets its own figure.
// The server's /api/health histogram is cumulative since start. Plain JS: the child runs the
// compiled server without a TypeScript loader. Bench-only; the server knows nothing of it.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

if (process.send) {
  process.on('message', (message) => {
    if (!message || message.type !== 'meshlens-bench-loop') return;
    const ms = (ns) => Math.round(ns / 1e3) / 1e3;
    const window = {
      type: 'meshlens-bench-loop',
      id: message.id,
      samples: histogram.count,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
      meanMs: Number.isFinite(histogram.mean) ? ms(histogram.mean) : 0,
    };
    if (message.reset) histogram.reset();
    process.send(window);
  });
  // The channel must not keep the server alive once it has stopped.
  process.channel?.unref();
}
