// t4: dispatch of the per-node / per-observer analytics a worker runs (engine task 'entity').
// Each uses the worker's shared intermediates of the snapshot (registry ComputeContext): the path
// context (best observations, hop resolver, neighbour graph) and, for node analytics' clockSkew,
// the clock-skew engine. Null = unknown node/observer (the route's 404).
import type { AnalyticsInput } from '../inputs/input.js';
import type { PathContext } from '../shared/path-context.js';
import type { ClockSkewEngine } from '../shared/clock-skew-engine.js';
import { computeNodeAnalytics } from './node-analytics.js';
import { computeNodePaths } from './node-paths.js';
import { computeNodeReach } from './node-reach.js';
import { computeObserverAnalytics } from './observer-analytics.js';

export interface EntityTask {
  entity: 'node-analytics' | 'node-paths' | 'node-reach' | 'observer-analytics';
  key: string;
  days: number;
  rows: Uint32Array;
}

/** The part of the registry's ComputeContext these use (built once per snapshot in the worker). */
export interface EntityContext {
  paths(): PathContext;
  engine(): ClockSkewEngine;
}

export function computeEntity(input: AnalyticsInput, task: EntityTask, ctx: EntityContext): unknown {
  const q = { key: task.key, days: task.days, rows: task.rows };
  switch (task.entity) {
    case 'node-analytics':
      return computeNodeAnalytics(input, q, ctx.paths(), ctx.engine());
    case 'node-paths':
      return computeNodePaths(input, q, ctx.paths());
    case 'node-reach':
      return computeNodeReach(input, q, ctx.paths());
    case 'observer-analytics': {
      const { observers } = input;
      for (let o = 0; o < observers.count; o++)
        if (observers.id(o) === task.key) return computeObserverAnalytics(input, q, o);
      return null;
    }
  }
}
