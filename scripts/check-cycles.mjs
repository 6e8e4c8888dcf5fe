// Fails when the modules under src/ import each other in a circle. Every import counts,
// `import type` included: a type-only cycle still ties the files' design together. Imports are
// found with a regex (static `import ... from`, `export ... from`, side-effect `import '...'` and
// literal `import('...')`); only relative specifiers are followed (`./x.js` -> `./x.ts`).
// Strongly connected components (Tarjan) give every cycle group once; one circle of each is shown.
// Usage: node scripts/check-cycles.mjs [dir]   (default src)
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory()
      ? walk(p)
      : /\.(ts|mts|js|mjs)$/.test(p) && !p.endsWith('.d.ts')
        ? [p]
        : [];
  });
}

const IMPORT_RES = [
  /\b(?:import|export)\s[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Drop comments so commented-out imports do not count (strings are left as they are). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

function resolveSpecifier(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`];
  candidates.push(join(base, 'index.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

const files = walk(root);
const edges = new Map();
for (const f of files) {
  const text = stripComments(readFileSync(f, 'utf8'));
  const out = new Set();
  for (const re of IMPORT_RES) {
    for (const m of text.matchAll(re)) {
      const target = resolveSpecifier(f, m[1]);
      if (target) out.add(target);
    }
  }
  edges.set(f, [...out]);
}

// Tarjan's strongly connected components (iterative, so deep graphs cannot overflow the stack).
function components() {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  for (const start of files) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, k] = frame;
      const next = edges.get(v) ?? [];
      if (k < next.length) {
        frame[1]++;
        const w = next[k];
        if (!edges.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === index.get(v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc);
      }
    }
  }
  return out;
}

/** One circle through the component's first file (breadth-first, so it is a shortest one). */
function circle(scc) {
  const inside = new Set(scc);
  const start = scc[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of edges.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const rel = (f) => relative(process.cwd(), f);
const found = components();
if (found.length === 0) {
  console.log(`check-cycles: no import cycles among ${files.length} modules under ${rel(root) || '.'}`);
} else {
  console.error(`check-cycles: ${found.length} import cycle group(s) under ${rel(root) || '.'}:`);
  for (const scc of found) {
    console.error(`- ${scc.length} module(s): ${scc.map(rel).sort().join(', ')}`);
    console.error(`  e.g. ${circle(scc).map(rel).join(' -> ')}`);
  }
  process.exit(1);
}
