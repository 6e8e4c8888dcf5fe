// Rows of the Packets table: one per transmission, and under an expanded one a row per
// observation. Fixed height (the table is virtualized); the summary is one line from decoded_json.
import type { JSX } from 'preact';
import type { ObservationItem, PacketItem } from '../../../src/api/contract';
import { Hex, Time, TypeBadge } from '../components/bits';
import { count, rssi, safeJson, snr } from '../app/format';
import { payloadTypeName } from '../app/mesh';
import type { ObsState } from './packets-feed';

export type Line =
  | { kind: 'tx'; p: PacketItem; expanded: boolean }
  | { kind: 'obs'; p: PacketItem; o: ObservationItem }
  | { kind: 'note'; p: PacketItem; text: string };

export const ROW_HEIGHT = 34;
export const COLUMNS = 10;

/** The table's lines: transmissions, each followed by its observations when expanded. */
/**
 * The table's lines: one per transmission plus, under each expanded one, its observations (or a
 * note). A view, not a copy: only the expanded rows are looked up, so a render costs
 * O(expanded), not O(rows) — tens of thousands of loaded rows stay cheap to re-render.
 */
export function lines(
  rows: readonly PacketItem[],
  expanded: ReadonlySet<string>,
  obs: Map<string, ObsState>,
): { length: number; at(i: number): Line | undefined } {
  const opened: { row: number; extra: Line[] }[] = [];
  for (const hash of expanded) {
    const row = rows.findIndex((p) => p.hash === hash);
    if (row >= 0) opened.push({ row, extra: extraLines(rows[row], obs) });
  }
  opened.sort((a, b) => a.row - b.row);
  const length = rows.length + opened.reduce((n, e) => n + e.extra.length, 0);
  const tx = (p: PacketItem | undefined): Line | undefined =>
    p && { kind: 'tx', p, expanded: expanded.has(p.hash) };
  return {
    length,
    at(i: number) {
      let shift = 0;
      for (const e of opened) {
        const start = e.row + shift + 1;
        if (i < start) break;
        if (i < start + e.extra.length) return e.extra[i - start];
        shift += e.extra.length;
      }
      return tx(rows[i - shift]);
    },
  };
}

function extraLines(p: PacketItem, obs: Map<string, ObsState>): Line[] {
  const o = obs.get(p.hash);
  if (o === undefined || o === 'loading') return [{ kind: 'note', p, text: 'Loading observations…' }];
  if (o instanceof Error) return [{ kind: 'note', p, text: `Could not load observations: ${o.message}` }];
  return o.map((x): Line => ({ kind: 'obs', p, o: x }));
}

/** A deterministic colour per hash, so one transmission is easy to follow. */
export function hashHue(hash: string): number {
  let h = 0;
  for (let i = 0; i < hash.length; i++) h = (h * 31 + hash.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** One line about what the packet says: message text, advert name, or src → dst. */
/** summary() per row object, computed once: scrolling re-renders rows many times a second. */
const summaries = new WeakMap<PacketItem, string>();
export function cachedSummary(p: PacketItem): string {
  let s = summaries.get(p);
  if (s === undefined) summaries.set(p, (s = summary(p)));
  return s;
}

export function summary(p: PacketItem): string {
  const d = safeJson<Record<string, unknown>>(p.decoded_json, {});
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  switch (payloadTypeName(p.payload_type)) {
    case 'GRP_TXT': {
      const ch =
        s('channel') ??
        p.channel_hash ??
        (s('channelHashHex') ? `channel ${s('channelHashHex')}` : 'channel');
      const text = s('text');
      return text ? `${ch} · ${text}` : `${ch} · encrypted`;
    }
    case 'ADVERT': {
      const f = (d.flags ?? {}) as Record<string, unknown>;
      const role = f.repeater
        ? 'repeater'
        : f.room
          ? 'room'
          : f.sensor
            ? 'sensor'
            : f.chat
              ? 'companion'
              : '';
      return [s('name') ?? 'advert', role].filter(Boolean).join(' · ');
    }
    default: {
      const src = s('srcHash');
      const dst = s('destHash');
      if (src || dst) return `${(src ?? '?').toUpperCase()} → ${(dst ?? '?').toUpperCase()}`;
      return s('text') ?? s('type') ?? '';
    }
  }
}

const hops = (pathJson: string | null) => safeJson<string[]>(pathJson, []).length;

function Observer({ name, iata, id }: { name: string | null; iata: string | null; id: string | null }) {
  return (
    <>
      <span class="pk-observer" title={id ?? undefined}>
        {name ?? (id ? id.slice(0, 8) : '—')}
      </span>
      {iata ? <span class="pill pk-iata">{iata}</span> : null}
    </>
  );
}

export interface RowHandlers {
  selected: string | null;
  selectedObs: string | null;
  toggle: (hash: string) => void;
  select: (hash: string, obs?: number) => void;
}

export function renderLine(line: Line, index: number, h: RowHandlers): JSX.Element {
  const stripe = { '--stripe': `hsl(${hashHue(line.p.hash)} 65% 48%)` };
  if (line.kind === 'note')
    return (
      <tr key={`${line.p.hash}-note`} class="pk-obs" style={stripe} aria-rowindex={index + 2}>
        <td class="pk-stripe" />
        <td colSpan={COLUMNS - 1} class="muted">
          {line.text}
        </td>
      </tr>
    );
  if (line.kind === 'obs') return obsRow(line.p, line.o, index, h, stripe);
  const p = line.p;
  const text = cachedSummary(p);
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter') h.select(p.hash);
    else if (
      e.key === ' ' ||
      (e.key === 'ArrowRight' && !line.expanded) ||
      (e.key === 'ArrowLeft' && line.expanded)
    ) {
      e.preventDefault();
      h.toggle(p.hash);
    }
  };
  return (
    <tr
      key={p.hash}
      class="pk-tx"
      style={stripe}
      tabIndex={0}
      data-hash={p.hash}
      data-type={payloadTypeName(p.payload_type)}
      aria-rowindex={index + 2}
      aria-selected={h.selected === p.hash && !h.selectedObs ? 'true' : 'false'}
      onClick={() => h.select(p.hash)}
      onKeyDown={onKey}
    >
      <td class="pk-stripe">
        <button
          type="button"
          class="pk-toggle"
          aria-expanded={line.expanded ? 'true' : 'false'}
          aria-label={`${line.expanded ? 'Hide' : 'Show'} the ${p.observation_count} observations of ${p.hash}`}
          onClick={(e) => {
            e.stopPropagation();
            h.toggle(p.hash);
          }}
        >
          {line.expanded ? '▾' : '▸'}
        </button>
      </td>
      <td>
        <Time t={p.first_seen ?? p.timestamp} />
      </td>
      <td>
        <TypeBadge type={p.payload_type} />
      </td>
      <td>
        <Hex value={p.hash} />
      </td>
      <td class="pk-summary" title={text}>
        {text}
      </td>
      <td class="pk-obs-cell">
        <Observer name={p.observer_name} iata={p.observer_iata} id={p.observer_id} />
      </td>
      <td class="num">{snr(p.snr)}</td>
      <td class="num">{rssi(p.rssi)}</td>
      <td class="num">{hops(p.path_json)}</td>
      <td class="num pk-count">{count(p.observation_count)}</td>
    </tr>
  );
}

function obsRow(
  p: PacketItem,
  o: ObservationItem,
  index: number,
  h: RowHandlers,
  style: Record<string, string>,
) {
  const path = safeJson<string[]>(o.path_json, []);
  return (
    <tr
      key={`${p.hash}-${o.id}`}
      class="pk-obs"
      style={style}
      tabIndex={0}
      data-obs={o.id}
      aria-rowindex={index + 2}
      aria-selected={h.selected === p.hash && h.selectedObs === String(o.id) ? 'true' : 'false'}
      onClick={() => h.select(p.hash, o.id)}
      onKeyDown={(e) => e.key === 'Enter' && h.select(p.hash, o.id)}
    >
      <td class="pk-stripe" />
      <td>
        <Time t={o.timestamp} />
      </td>
      <td class="muted">observation</td>
      <td colSpan={2} class="pk-path mono" title={path.join(' → ')}>
        {path.length ? path.join(' → ') : 'direct (no hops)'}
      </td>
      <td class="pk-obs-cell">
        <Observer name={o.observer_name} iata={o.observer_iata} id={o.observer_id} />
      </td>
      <td class="num">{snr(o.snr)}</td>
      <td class="num">{rssi(o.rssi)}</td>
      <td class="num">{path.length}</td>
      <td />
    </tr>
  );
}

export function TableHead() {
  return (
    <tr>
      <th class="pk-stripe">
        <span class="sr-only">Expand</span>
      </th>
      <th>Time</th>
      <th>Type</th>
      <th>Hash</th>
      <th>Details</th>
      <th>Observer</th>
      <th class="num">SNR</th>
      <th class="num">RSSI</th>
      <th class="num">Hops</th>
      <th class="num">
        <abbr title="Observations">Obs</abbr>
      </th>
    </tr>
  );
}
