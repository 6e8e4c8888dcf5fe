// Clock-skew severities (spec analytics §6.1) as the UI shows them: order, glyph, word, class;
// and a signed skew as text ("+3 h 12 min", "−246 d 3 h").

export const SEVERITIES = ['ok', 'warning', 'critical', 'absurd', 'no_clock', 'bimodal_clock'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY: Record<Severity, { glyph: string; label: string; cls: string }> = {
  ok: { glyph: '●', label: 'OK', cls: 'ok' },
  warning: { glyph: '▲', label: 'warning', cls: 'warning' },
  critical: { glyph: '◆', label: 'critical', cls: 'critical' },
  absurd: { glyph: '✕', label: 'absurd', cls: 'absurd' },
  no_clock: { glyph: '○', label: 'no clock', cls: 'noclock' },
  bimodal_clock: { glyph: '◐', label: 'bimodal', cls: 'bimodal' },
};

/** Higher = worse (the default sort puts it first). */
const RANK: Record<string, number> = {
  no_clock: 5,
  absurd: 4,
  critical: 3,
  bimodal_clock: 2,
  warning: 1,
  ok: 0,
};
export const severityRank = (s: string): number => RANK[s] ?? -1;

/** A signed skew in seconds as "+12 s", "−5 min 3 s", "+3 h 12 min", "−246 d 3 h". */
export function skewText(sec: number): string {
  const sign = sec < 0 ? '−' : sec > 0 ? '+' : '';
  const a = Math.abs(sec);
  let body: string;
  if (a < 60) body = `${Number.isInteger(a) ? a : a.toFixed(1)} s`;
  else if (a < 3600) body = `${Math.floor(a / 60)} min ${Math.floor(a % 60)} s`;
  else if (a < 86400) body = `${Math.floor(a / 3600)} h ${Math.floor((a % 3600) / 60)} min`;
  else body = `${Math.floor(a / 86400)} d ${Math.floor((a % 86400) / 3600)} h`;
  return sign + body;
}
