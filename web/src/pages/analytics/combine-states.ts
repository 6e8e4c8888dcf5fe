// One card fed by several analytics (the Overview's stat cards read rf, topology, channels and
// hash sizes): their states combined into one, ready when all are, as old as the oldest.
import type { AnalyticState } from '../../app/use-analytic';

type Datas<S extends AnalyticState<unknown>[]> = {
  [K in keyof S]: S[K] extends AnalyticState<infer T> ? T : never;
};

export function combineStates<S extends AnalyticState<unknown>[]>(...states: S): AnalyticState<Datas<S>> {
  const ready = states.every((s) => s.data !== null);
  const times = states.map((s) => s.computedAt).filter((t): t is number => t !== null);
  const warming = states.find((s) => s.warming !== null)?.warming ?? null;
  return {
    data: ready ? (states.map((s) => s.data) as Datas<S>) : null,
    // The card is as fresh as its stalest input.
    computedAt: times.length === states.length ? Math.min(...times) : null,
    checkedAt: Math.max(0, ...states.map((s) => s.checkedAt ?? 0)) || null,
    warming,
    error: states.find((s) => s.error !== null)?.error ?? null,
    loading: states.some((s) => s.loading),
    version: states.reduce((a, s) => a + s.version, 0),
  };
}
