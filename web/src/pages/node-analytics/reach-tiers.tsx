// The link tiers of the reach page (the reference's thresholds on the bottleneck = min(we hear,
// they hear)): each tier has a colour, a glyph and a line pattern, so the map, its legend and
// the table read the same without colour.
import type { NodeReachLink } from '../../../../src/api/contract';

export type TierId = 'strong' | 'medium' | 'weak' | 'oneway';

export interface Tier {
  id: TierId;
  label: string;
  range: string;
  glyph: string;
  color: string;
  /** Leaflet / SVG stroke-dasharray (undefined = solid). */
  dash?: string;
  weight: number;
}

export const TIERS: Tier[] = [
  { id: 'strong', label: 'strong', range: '≥ 300', glyph: '●●●', color: '--ok', weight: 5 },
  {
    id: 'medium',
    label: 'medium',
    range: '100–299',
    glyph: '●●',
    color: '--chart-2',
    dash: '12 5',
    weight: 4,
  },
  { id: 'weak', label: 'weak', range: '< 100', glyph: '●', color: '--warn', dash: '3 5', weight: 3 },
  {
    id: 'oneway',
    label: 'one-way',
    range: 'heard one way only',
    glyph: '→',
    color: '--muted',
    dash: '10 4 2 4',
    weight: 2,
  },
];

const BY_ID = Object.fromEntries(TIERS.map((t) => [t.id, t])) as Record<TierId, Tier>;

export function tierOf(l: Pick<NodeReachLink, 'bidir' | 'bottleneck'>): Tier {
  if (!l.bidir) return BY_ID.oneway;
  return l.bottleneck >= 300 ? BY_ID.strong : l.bottleneck >= 100 ? BY_ID.medium : BY_ID.weak;
}

/** A short sample of the tier's line (legend). */
export function TierSwatch({ t }: { t: Tier }) {
  return (
    <svg width="36" height="10" viewBox="0 0 36 10" aria-hidden="true" class="tier-swatch">
      <line
        x1="1"
        y1="5"
        x2="35"
        y2="5"
        stroke={`var(${t.color})`}
        stroke-width={Math.min(5, t.weight)}
        stroke-dasharray={t.dash}
        stroke-linecap="butt"
      />
    </svg>
  );
}

/** The tier as text: glyph and word, in the tier's colour. */
export function TierBadge({ t }: { t: Tier }) {
  return (
    <span class={`tier tier-${t.id}`} data-tier={t.id}>
      <span aria-hidden="true">{t.glyph}</span> {t.label}
    </span>
  );
}

export function TierLegend({ counts }: { counts: Record<TierId, number> }) {
  return (
    <ul class="tier-legend" aria-label="Link tiers">
      {TIERS.map((t) => (
        <li>
          <TierSwatch t={t} /> <TierBadge t={t} /> <span class="muted">{t.range}</span>{' '}
          <span class="num">({counts[t.id]})</span>
        </li>
      ))}
    </ul>
  );
}
