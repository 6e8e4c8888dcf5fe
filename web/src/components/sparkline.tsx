// A tiny inline SVG line (home counts, observer rows): cheap enough for hundreds per page, so
// uPlot is kept for real charts. role=img with a text summary for screen readers.
export function Sparkline({
  values,
  label,
  width = 120,
  height = 28,
}: {
  values: number[];
  label: string;
  width?: number;
  height?: number;
}) {
  if (values.length < 2) return <span class="muted">no data</span>;
  const max = Math.max(1, ...values);
  const step = width / (values.length - 1);
  const pts = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`,
  );
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <svg
      class="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}: ${total} in total, peak ${max}`}
    >
      <polyline points={`0,${height} ${pts.join(' ')} ${width},${height}`} class="spark-area" />
      <polyline points={pts.join(' ')} class="spark-line" fill="none" />
    </svg>
  );
}
