// Simulator generation throughput: builds a scenario and drains its message stream, several
// times, reporting medians. Usage: npm run bench:sim -- [--scale small,staging] [--runs 3]
import { parseArgs } from 'node:util';
import os from 'node:os';
import { createSimulator } from '../src/sim/index.js';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'small,staging' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, runs=${runs}`);
console.log(
  '| scale | nodes | transmissions | observations | messages | build s | generate s | obs/s | msgs/s |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const scale of values.scale!.split(',')) {
  const build: number[] = [];
  const gen: number[] = [];
  let counts = createSimulator(scale, { durationMs: 0 }).getCounts();
  let messages = 0;
  let nodes = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const sim = createSimulator(scale);
    const t1 = performance.now();
    let n = 0;
    for (let m = sim.next(); m; m = sim.next()) n++;
    gen.push((performance.now() - t1) / 1000);
    build.push((t1 - t0) / 1000);
    counts = sim.getCounts();
    messages = n;
    nodes = sim.world.nodes.length;
  }
  const g = median(gen);
  console.log(
    `| ${scale} | ${nodes} | ${counts.transmissions} | ${counts.observations} | ${messages} | ${median(build).toFixed(2)} | ${g.toFixed(1)} | ${Math.round(counts.observations / g)} | ${Math.round(messages / g)} |`,
  );
}
