// Packets over time (bars) and distinct nodes heard (line) of one observer, drawn with uPlot,
// which is loaded on first use (dynamic import: the initial bundle stays small). The buckets
// carry labels only, so x is the bucket index and the axis prints the label. Colours come from
// the theme's CSS tokens; the chart redraws on resize and theme change.
import { useEffect, useRef } from 'preact/hooks';
import { theme } from '../../app/prefs';

export interface TimelinePoint {
  label: string;
  packets: number;
  nodes: number;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export function TimelineChart({ points, bucketLabel }: { points: TimelinePoint[]; bucketLabel: string }) {
  const box = useRef<HTMLDivElement>(null);
  const dark = theme.value === 'dark';
  useEffect(() => {
    const el = box.current;
    if (!el || points.length === 0) return;
    let plot: { destroy(): void; setSize(s: { width: number; height: number }): void } | null = null;
    let stopped = false;
    let ro: ResizeObserver | null = null;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([mod]) => {
      if (stopped) return;
      const uPlot = mod.default;
      const xs = points.map((_, i) => i);
      const text = css('--muted');
      const grid = css('--border');
      const width = Math.max(200, el.clientWidth);
      plot = new uPlot(
        {
          width,
          height: 220,
          legend: { show: true },
          cursor: { drag: { x: false, y: false } },
          scales: {
            x: { time: false, range: [-0.6, points.length - 0.4] },
            // Counts start at zero: a bar's height is its count.
            y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
            nodes: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
          },
          axes: [
            {
              stroke: text,
              grid: { show: false },
              ticks: { stroke: grid },
              values: (_u, splits) =>
                splits.map((v) => (Number.isInteger(v) ? (points[v]?.label ?? '') : '')),
            },
            { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, label: 'observations' },
            { side: 1, stroke: text, grid: { show: false }, scale: 'nodes', label: 'nodes' },
          ],
          series: [
            { label: bucketLabel, value: (_u, v) => (v === null ? '' : (points[v]?.label ?? '')) },
            {
              label: 'Observations',
              stroke: css('--accent'),
              fill: css('--accent') + '99',
              paths: uPlot.paths.bars!({ size: [0.7, 60] }),
              points: { show: false },
            },
            { label: 'Distinct nodes', scale: 'nodes', stroke: css('--role-observer'), width: 2 },
          ],
        },
        [xs, points.map((p) => p.packets), points.map((p) => p.nodes)],
        el,
      );
      ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, el.clientWidth), height: 220 }));
      ro.observe(el);
    });
    return () => {
      stopped = true;
      ro?.disconnect();
      plot?.destroy();
    };
  }, [points, dark]);
  const total = points.reduce((a, p) => a + p.packets, 0);
  return (
    <figure class="obs-chart">
      <div ref={box} class="obs-chart-canvas" aria-hidden="true" />
      <figcaption class="sr-only">
        {total} observations in {points.length} buckets of {bucketLabel}; busiest{' '}
        {points.reduce((a, p) => (p.packets > a.packets ? p : a), points[0])?.label}
      </figcaption>
    </figure>
  );
}
