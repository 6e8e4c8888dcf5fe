// The 16×16 prefix usage matrix: one button per first key byte (row = high nibble, column = low
// nibble) showing how many repeaters use it; shared prefixes are hatched and marked "!", reserved
// 00/FF are greyed and dotted, so colour never carries the meaning alone. One tab stop for the
// whole grid (arrow keys move, Home/End jump); Enter or a click selects the cell, whose nodes
// show in the detail below (the selection is in the URL as `cell=`).
import { useRef } from 'preact/hooks';
import type { HashCollisionNode } from '../../../../../src/api/contract';
import { NodeLink, RoleIcon } from '../../../components/bits';
import { ROLE_LABEL, roleKey } from '../../../app/mesh';
import { cellLabel, occupancy, type MatrixCell, type MatrixMode } from './matrix-data';

const NIBBLES = '0123456789ABCDEF'.split('');

export function HashMatrix(p: {
  cells: MatrixCell[];
  mode: MatrixMode;
  selected: string | null;
  onSelect: (key: string) => void;
}) {
  const grid = useRef<HTMLTableElement>(null);
  const focusIdx = Math.max(
    0,
    p.cells.findIndex((c) => c.key === p.selected),
  );
  const move = (e: KeyboardEvent, i: number) => {
    const d: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 16, ArrowUp: -16 };
    let j = i;
    if (e.key in d) j = i + d[e.key];
    else if (e.key === 'Home') j = i - (i % 16);
    else if (e.key === 'End') j = i - (i % 16) + 15;
    else return;
    e.preventDefault();
    if (j < 0 || j > 255) return;
    const btns = grid.current?.querySelectorAll<HTMLButtonElement>('button.hm-cell');
    btns?.forEach((b, k) => (b.tabIndex = k === j ? 0 : -1));
    btns?.[j]?.focus();
  };
  return (
    <table class={`hash-matrix hm-mode-${p.mode}`} ref={grid}>
      <caption class="sr-only">
        {p.mode}-byte prefix usage by first key byte: rows are the first hex digit, columns the second
      </caption>
      <thead>
        <tr>
          <td class="hm-corner" />
          {NIBBLES.map((n) => (
            <th scope="col" class="hm-head">
              <span class="sr-only">second digit </span>
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {NIBBLES.map((hi, r) => (
          <tr key={hi}>
            <th scope="row" class="hm-head">
              <span class="sr-only">first digit </span>
              {hi}
            </th>
            {p.cells.slice(r * 16, r * 16 + 16).map((c, k) => {
              const i = r * 16 + k;
              const label = cellLabel(c, p.mode);
              return (
                <td key={c.key}>
                  <button
                    type="button"
                    class={`hm-cell occ-${occupancy(c.nodes.length)}${c.collisions > 0 ? ' hm-collide' : ''}${c.reserved ? ' hm-reserved' : ''}`}
                    data-prefix={c.key}
                    aria-label={label}
                    title={label}
                    aria-pressed={p.selected === c.key}
                    tabIndex={i === focusIdx ? 0 : -1}
                    onClick={() => p.onSelect(c.key)}
                    onKeyDown={(e) => move(e, i)}
                  >
                    <span aria-hidden="true">
                      {c.nodes.length > 0 ? c.nodes.length : ''}
                      {c.collisions > 0 ? '!' : ''}
                    </span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MatrixLegend() {
  return (
    <ul class="hm-legend" aria-label="Legend">
      <li>
        <span class="hm-swatch occ-0" aria-hidden="true" /> unused
      </li>
      <li>
        <span class="hm-swatch occ-1" aria-hidden="true">
          1
        </span>{' '}
        one repeater
      </li>
      <li>
        <span class="hm-swatch occ-2 hm-collide" aria-hidden="true">
          2!
        </span>{' '}
        shared prefix (hatched, "!")
      </li>
      <li>
        <span class="hm-swatch hm-reserved" aria-hidden="true" /> reserved 00 / FF (dotted)
      </li>
    </ul>
  );
}

function NodeRow({ n }: { n: HashCollisionNode }) {
  return (
    <li>
      <NodeLink pk={n.public_key} name={n.name} />{' '}
      <code class="hex">{n.public_key.slice(0, 8).toUpperCase()}</code>{' '}
      <span class="muted">
        <RoleIcon role={n.role} /> {ROLE_LABEL[roleKey(n.role)]} ·{' '}
        {n.hash_size > 0 ? `${n.hash_size}-byte` : 'size unknown'}
        {n.hash_size_inconsistent ? ' · size varies' : ''}
      </span>
    </li>
  );
}

/** The nodes of the selected cell, grouped by full prefix; `hops` = packets through a prefix. */
export function CellDetail(p: { cell: MatrixCell; mode: MatrixMode; hops: Map<string, number> }) {
  const { cell } = p;
  return (
    <div class="hm-detail" data-detail={cell.key}>
      <h3 class="subhead">{cellLabel(cell, p.mode).replace(/^./, (c) => c.toUpperCase())}</h3>
      {cell.reserved ? (
        <p class="muted">
          00 and FF are reserved first bytes in MeshCore: a node should never get a key starting with them.
        </p>
      ) : null}
      {cell.groups.length === 0 ? (
        <p class="muted">No repeater of this size uses it: free.</p>
      ) : (
        cell.groups.map(([prefix, nodes]) => (
          <div class="hm-group" key={prefix}>
            <p>
              <code class="hex">{prefix}</code>:{' '}
              {nodes.length > 1 ? (
                <strong class="bad-text">{nodes.length} repeaters share it</strong>
              ) : (
                '1 repeater'
              )}
              {p.hops.has(prefix) ? ` · a hop in ${p.hops.get(prefix)} packets` : ''}
            </p>
            <ul class="hm-nodes">
              {nodes.map((n) => (
                <NodeRow n={n} key={n.public_key} />
              ))}
            </ul>
          </div>
        ))
      )}
    </div>
  );
}
