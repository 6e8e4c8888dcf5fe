// The tiles of a tab's headline numbers: the value big, its label, a detail line (a range, a
// second figure) and optionally a sparkline. `data-stat` names a tile for the tests.
import type { ComponentChildren } from 'preact';

export interface StatTile {
  id: string;
  label: string;
  value: ComponentChildren;
  detail?: ComponentChildren;
  /** Longer explanation in the tile's title. */
  hint?: string;
  extra?: ComponentChildren;
}

export function StatGrid({ tiles, label }: { tiles: StatTile[]; label: string }) {
  return (
    <ul class="stat-cards stat-grid" aria-label={label}>
      {tiles.map((t) => (
        <li key={t.id} class="stat-tile" data-stat={t.id} title={t.hint}>
          <span class="stat-label">{t.label}</span>
          <span class="stat-value num">{t.value}</span>
          {t.detail !== undefined ? <span class="stat-detail muted num">{t.detail}</span> : null}
          {t.extra}
        </li>
      ))}
    </ul>
  );
}
