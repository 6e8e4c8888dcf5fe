// A bubble scatter drawn as SVG (the kit's Chart draws fixed-size points): x and y on linear
// axes, each bubble's AREA proportional to its weight, a <title> per bubble for the pointer.
// The SVG is hidden from assistive technology; `summary` is its text alternative.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Bubble {
  x: number;
  y: number;
  weight: number;
  title: string;
}

const PAD = { l: 48, r: 14, t: 12, b: 38 };

/** Round tick values covering [lo, hi], about `n` of them. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = Math.max(1e-9, hi - lo);
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-6; v += step) out.push(+v.toFixed(6));
  return out;
}

export function BubbleChart(p: {
  bubbles: Bubble[];
  xLabel: string;
  yLabel: string;
  summary: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const H = p.height ?? 240;
  const W = Math.max(200, width);
  const xs = p.bubbles.map((b) => b.x);
  const ys = p.bubbles.map((b) => b.y);
  const x0 = Math.min(...xs) - 0.7;
  const x1 = Math.max(...xs) + 0.7;
  const yt = niceTicks(Math.min(0, ...ys) - 0.5, Math.max(0, ...ys) + 0.5);
  const y0 = yt[0];
  const y1 = yt[yt.length - 1];
  const px = (x: number) => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const py = (y: number) => PAD.t + ((y1 - y) / Math.max(1e-9, y1 - y0)) * (H - PAD.t - PAD.b);
  const maxW = Math.max(1, ...p.bubbles.map((b) => b.weight));
  // Area ∝ weight: radius ∝ √weight, the largest bubble ~ one x step across.
  const rMax = Math.max(6, Math.min(22, (W - PAD.l - PAD.r) / (x1 - x0) / 1.6));
  const xt = niceTicks(Math.ceil(x0), Math.floor(x1), Math.min(10, Math.max(2, Math.floor(W / 60)))).filter(
    (v) => Number.isInteger(v),
  );
  return (
    <figure class="chart bubble-chart">
      <div ref={box} class="bubble-box" aria-hidden="true">
        {width > 0 ? (
          <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} data-drawn="true">
            {yt.map((v) => (
              <g>
                <line x1={PAD.l} x2={W - PAD.r} y1={py(v)} y2={py(v)} class="bc-grid" />
                <text x={PAD.l - 6} y={py(v)} dy="0.35em" text-anchor="end" class="bc-tick">
                  {String(v).replace('-', '−')}
                </text>
              </g>
            ))}
            {xt.map((v) => (
              <text x={px(v)} y={H - PAD.b + 16} text-anchor="middle" class="bc-tick">
                {v}
              </text>
            ))}
            <text x={(PAD.l + W - PAD.r) / 2} y={H - 4} text-anchor="middle" class="bc-label">
              {p.xLabel}
            </text>
            <text
              transform={`translate(12 ${(PAD.t + H - PAD.b) / 2}) rotate(-90)`}
              text-anchor="middle"
              class="bc-label"
            >
              {p.yLabel}
            </text>
            {p.bubbles.map((b) => (
              <circle
                cx={px(b.x)}
                cy={py(b.y)}
                r={Math.max(2.5, rMax * Math.sqrt(b.weight / maxW))}
                class="bc-bubble"
              >
                <title>{b.title}</title>
              </circle>
            ))}
          </svg>
        ) : null}
      </div>
      <figcaption class="sr-only">{p.summary}</figcaption>
    </figure>
  );
}
