// Reads a V8 .cpuprofile (node --cpu-prof) and reports what runs inside long main-thread tasks:
// runs of consecutive non-idle samples longer than --min ms, with the inclusive time of each
// function (our own sources first) summed over those tasks. Usage:
//   node bench/lib/long-tasks.mjs <file.cpuprofile> [--min 30] [--top 40]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(rest[i + 1]);
};
const minMs = opt('min', 30);
const top = opt('top', 40);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '').replace(/^.*\/(src|node_modules|dist)\//, '$1/');
  return `${f.functionName || '(anon)'} ${url}:${f.lineNumber + 1}`;
};
const idle = (id) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id).callFrame.functionName);

// Split samples into tasks: a task ends at an idle sample.
const tasks = [];
let cur = null;
let t = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i];
  const id = prof.samples[i];
  const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
  if (byId.get(id).callFrame.functionName === '(idle)') {
    if (cur) tasks.push(cur);
    cur = null;
    continue;
  }
  cur ??= { start: t, ms: 0, samples: [] };
  cur.ms += dt;
  cur.samples.push([id, dt]);
}
if (cur) tasks.push(cur);
const long = tasks.filter((k) => k.ms >= minMs);
const totalMs = tasks.reduce((a, k) => a + k.ms, 0);
const longMs = long.reduce((a, k) => a + k.ms, 0);
console.log(`profile ${(prof.endTime - prof.startTime) / 1e6} s; busy ${(totalMs / 1000).toFixed(1)} s in ${tasks.length} tasks; ${long.length} tasks >= ${minMs} ms (${(longMs / 1000).toFixed(1)} s), longest ${Math.max(0, ...tasks.map((k) => k.ms)).toFixed(0)} ms`);
const hist = [10, 20, 30, 50, 100, 200, 500];
console.log('tasks by length: ' + hist.map((h) => `>=${h}ms: ${tasks.filter((k) => k.ms >= h).length}`).join(', '));

const incl = new Map();
const self = new Map();
for (const k of long) {
  for (const [id, dt] of k.samples) {
    const n = byId.get(id);
    self.set(label(n), (self.get(label(n)) ?? 0) + dt);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const l = label(byId.get(p));
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + dt);
    }
  }
}
const show = (title, m, filter) => {
  console.log(`\n${title}`);
  [...m].filter(([l]) => filter(l)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([l, ms]) => console.log(`${ms.toFixed(0).padStart(8)} ms  ${(100 * ms / longMs).toFixed(1).padStart(5)} %  ${l}`));
};
show('inclusive time in long tasks, our sources', incl, (l) => / (src|dist)\//.test(l));
show('inclusive time in long tasks, everything', incl, () => true);
show('self time in long tasks', self, () => true);

// The longest tasks one by one: when (s from profile start) and the frames of ours that took most of each.
console.log('\nlongest tasks');
for (const k of [...tasks].sort((a, b) => b.ms - a.ms).slice(0, opt('tasks', 15))) {
  const m = new Map();
  for (const [id, dt] of k.samples) {
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const l = label(byId.get(p));
      if (seen.has(l) || !/ (src|dist)\//.test(l)) continue;
      seen.add(l);
      m.set(l, (m.get(l) ?? 0) + dt);
    }
  }
  const top3 = [...m].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([l, ms]) => `${l} ${ms.toFixed(0)}`);
  console.log(`${k.ms.toFixed(0).padStart(6)} ms at ${((k.start - prof.startTime) / 1e6).toFixed(1)} s: ${top3.join(' | ')}`);
}
