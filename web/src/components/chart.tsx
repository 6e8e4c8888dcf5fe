// One chart component for every analytics chart, drawn by uPlot (canvas: thousands of points
// stay cheap), which is loaded on first use so the initial bundle stays small. Kinds: bars
// (histograms, pre-binned by the server: x = bin start or category index), lines/area (time
// series, x in epoch seconds with `time`), points (scatter). Colours are the theme's
// `--chart-N` tokens (or any token per series); the chart redraws on resize and theme change.
// The canvas is hidden from assistive technology: `summary` is its text alternative, and the
// cards that matter show the same numbers in a table beside it.
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { theme } from '../app/prefs';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A CSS colour token, e.g. '--chart-2' or '--type-advert' (default: --chart-N by order). */
  color?: string;
  kind?: 'line' | 'bars' | 'area' | 'points';
  /** 'y2' draws against a second axis on the right. */
  scale?: 'y' | 'y2';
  dash?: number[];
  /** Lines: join points across null values (sparse series, e.g. one observer among several). */
  spanGaps?: boolean;
  /** Formats a value in the legend / cursor readout. */
  format?: (v: number) => string;
}

export interface ChartProps {
  /** X values: epoch seconds with `time`, bin starts, or indices into `xLabels`. */
  x: number[];
  series: ChartSeries[];
  time?: boolean;
  /** Categorical x axis: the label of each index. */
  xLabels?: string[];
  xLabel?: string;
  yLabel?: string;
  y2Label?: string;
  /** Fixed ranges; null ends are automatic. Bars default to y starting at 0. */
  yRange?: [number | null, number | null];
  y2Range?: [number | null, number | null];
  xRange?: [number, number];
  height?: number;
  /** Text alternative of the chart (read by screen readers instead of the canvas). */
  summary: string;
  /** Vertical markers (e.g. reboots), in x units. */
  markers?: { x: number; label: string; color?: string }[];
  /** Horizontal lines (e.g. battery thresholds), in y units. */
  hlines?: { y: number; label: string; color?: string }[];
  /** Shaded y bands behind the data (e.g. SNR quality zones), in y units. */
  bands?: { from: number; to: number; color: string; axis?: 'x' | 'y' }[];
  /** Extra class on the figure. */
  class?: string;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];

type UPlotCtor = typeof uPlot;

function range(r: [number | null, number | null] | undefined, zeroFloor: boolean): uPlot.Scale.Range {
  return (_u, min, max) => {
    let lo = r?.[0] ?? (zeroFloor ? Math.min(0, min) : min);
    let hi = r?.[1] ?? max;
    if (!Number.isFinite(lo)) lo = 0;
    if (!Number.isFinite(hi)) hi = 1;
    if (hi <= lo) hi = lo + 1;
    const pad = r?.[1] == null ? (hi - lo) * 0.08 : 0;
    return [lo, hi + pad];
  };
}

function seriesOpts(U: UPlotCtor, s: ChartSeries, i: number, barWidth: number): uPlot.Series {
  const color = css(s.color ?? PALETTE[i % PALETTE.length]);
  const base: uPlot.Series = {
    label: s.label,
    stroke: color,
    width: 2,
    scale: s.scale ?? 'y',
    dash: s.dash,
    value: (_u, v) => (v === null || v === undefined ? '–' : s.format ? s.format(v) : String(+v.toFixed(2))),
  };
  switch (s.kind ?? 'line') {
    case 'bars':
      return {
        ...base,
        width: 1,
        fill: color + 'cc',
        paths: U.paths.bars!({ size: [barWidth, 80] }),
        points: { show: false },
      };
    case 'area':
      return { ...base, fill: color + '33', points: { show: false } };
    case 'points':
      return {
        ...base,
        width: 0,
        paths: () => null,
        points: { show: true, size: 5, stroke: color, fill: color + '99', width: 1 },
      };
    default:
      return { ...base, points: { show: false }, spanGaps: s.spanGaps ?? false };
  }
}

/** Markers, threshold lines and bands drawn on the canvas under/over the series. */
function overlayHooks(p: ChartProps): uPlot.Hooks.Arrays {
  const drawBands = (u: uPlot) => {
    const ctx = u.ctx;
    for (const b of p.bands ?? []) {
      ctx.save();
      ctx.fillStyle = b.color.startsWith('--') ? css(b.color) : b.color;
      if (b.axis === 'x') {
        const x0 = u.valToPos(b.from, 'x', true);
        const x1 = u.valToPos(b.to, 'x', true);
        ctx.fillRect(Math.min(x0, x1), u.bbox.top, Math.abs(x1 - x0), u.bbox.height);
      } else {
        const y0 = u.valToPos(b.from, 'y', true);
        const y1 = u.valToPos(b.to, 'y', true);
        ctx.fillRect(u.bbox.left, Math.min(y0, y1), u.bbox.width, Math.abs(y1 - y0));
      }
      ctx.restore();
    }
  };
  const drawLines = (u: uPlot) => {
    const ctx = u.ctx;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([5 * dpr, 4 * dpr]);
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    // uPlot leaves the y axis's right alignment on the context: labels start at the plot's left edge.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    for (const m of p.markers ?? []) {
      const x = u.valToPos(m.x, 'x', true);
      ctx.strokeStyle = css(m.color ?? '--bad');
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    }
    for (const h of p.hlines ?? []) {
      const y = u.valToPos(h.y, 'y', true);
      ctx.strokeStyle = css(h.color ?? '--warn');
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      ctx.fillText(h.label, u.bbox.left + 4 * dpr, y - 4 * dpr);
    }
    ctx.restore();
  };
  return { drawClear: [drawBands], draw: [drawLines] };
}

function options(U: UPlotCtor, p: ChartProps, width: number): uPlot.Options {
  const text = css('--muted');
  const grid = css('--border');
  const anyBars = p.series.some((s) => s.kind === 'bars');
  const hasY2 = p.series.some((s) => s.scale === 'y2');
  const barWidth =
    p.x.length > 0 ? Math.max(0.5, Math.min(0.9, 1 - 8 / Math.max(8, width / p.x.length))) : 0.8;
  const labels = p.xLabels;
  const xRange: uPlot.Scale.Range | undefined = p.xRange
    ? () => p.xRange as [number, number]
    : anyBars && p.x.length > 0
      ? (_u, min, max) => {
          const step = p.x.length > 1 ? (p.x[p.x.length - 1] - p.x[0]) / (p.x.length - 1) : 1;
          return [min - step * 0.6, max + step * 0.6];
        }
      : undefined;
  // Binned data (bars): ticks only at whole multiples of the bin width, so an hourly histogram is
  // never labelled at half hours between its bars.
  const step = anyBars && p.x.length > 1 ? p.x[1] - p.x[0] : 0;
  const incrs = step > 0 ? [1, 2, 3, 4, 6, 12, 24, 48, 168, 336, 720].map((m) => m * step) : undefined;
  const axes: uPlot.Axis[] = [
    {
      stroke: text,
      grid: { show: false },
      ticks: { stroke: grid },
      label: p.xLabel,
      ...(incrs && !labels ? { incrs } : {}),
      ...(labels
        ? {
            values: (_u: uPlot, splits: number[]) =>
              splits.map((v) => (Number.isInteger(v) ? (labels[v] ?? '') : '')),
          }
        : {}),
    },
    { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: p.yLabel, size: 56 },
  ];
  if (hasY2)
    axes.push({ side: 1, stroke: text, grid: { show: false }, scale: 'y2', label: p.y2Label, size: 56 });
  return {
    width,
    height: p.height ?? 220,
    legend: { show: p.series.length > 1 },
    cursor: { drag: { x: false, y: false }, points: { show: !anyBars } },
    scales: {
      x: { time: p.time === true, ...(xRange ? { range: xRange } : {}) },
      y: { range: range(p.yRange, anyBars) },
      ...(hasY2 ? { y2: { range: range(p.y2Range, false) } } : {}),
    },
    axes,
    series: [
      labels
        ? { label: p.xLabel ?? 'x', value: (_u, v) => (v === null ? '' : (labels[v] ?? '')) }
        : { label: p.xLabel ?? (p.time ? 'Time' : 'x') },
      ...p.series.map((s, i) => seriesOpts(U, s, i, barWidth)),
    ],
    hooks: overlayHooks(p),
  };
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const dark = theme.value === 'dark';
  useEffect(() => {
    const el = box.current;
    if (!el || props.x.length === 0) return;
    let plot: uPlot | null = null;
    let stopped = false;
    let ro: ResizeObserver | null = null;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([mod]) => {
      if (stopped) return;
      const U = mod.default;
      const width = Math.max(160, el.clientWidth);
      plot = new U(
        options(U, props, width),
        [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
        el,
      );
      el.dataset.drawn = 'true';
      let last = width;
      ro = new ResizeObserver(() => {
        const w = Math.max(160, el.clientWidth);
        if (w !== last) {
          last = w;
          plot?.setSize({ width: w, height: props.height ?? 220 });
        }
      });
      ro.observe(el);
    });
    return () => {
      stopped = true;
      ro?.disconnect();
      plot?.destroy();
      delete el.dataset.drawn;
    };
  }, [props.x, props.series, dark, props.height]);
  return (
    <figure class={`chart ${props.class ?? ''}`}>
      <div
        ref={box}
        class="chart-canvas"
        aria-hidden="true"
        style={{ minHeight: `${props.height ?? 220}px` }}
      />
      <figcaption class="sr-only">{props.summary}</figcaption>
    </figure>
  );
}
