// The frame as three linked views (Wireshark's details tree + bytes pane): a field table, a hex
// dump coloured by field with its legend, and one selection shared by both: selecting a field
// row highlights its bytes, clicking a byte selects its field. The layout comes from the
// server's decoder (GET /api/packets/:id/layout); nothing is decoded here.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PacketLayout, PacketLayoutField } from '../../../src/api/contract';

const KIND_LABEL: Record<string, string> = {
  header: 'Header',
  transport: 'Transport codes',
  path_length: 'Path length',
  path: 'Path',
  hash: 'Hash',
  pubkey: 'Public key',
  timestamp: 'Timestamp',
  signature: 'Signature',
  flags: 'Flags',
  location: 'Location',
  name: 'Name',
  data: 'Data',
  mac: 'MAC',
  ciphertext: 'Ciphertext',
  malformed: 'Malformed',
};

const STATUS_LABEL: Record<PacketLayoutField['status'], string> = {
  ok: '',
  truncated: 'TRUNCATED',
  malformed: 'MALFORMED',
  extra: 'EXTRA',
  invalid: 'INVALID',
};

/** Bytes per hex dump line: 16 as usual, 8 on a phone so a line fits. */
function useBytesPerLine(): number {
  const q = '(max-width: 600px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(q).matches);
  useEffect(() => {
    const m = window.matchMedia(q);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow ? 8 : 16;
}

export function FrameBytes({ layout }: { layout: PacketLayout }) {
  const [sel, setSel] = useState<number | null>(null);
  useEffect(() => setSel(null), [layout.raw_hex]);
  // Byte index -> field index (every byte has one: the server's fields tile the frame).
  const owner = useMemo(() => {
    const o = new Array<number>(layout.length).fill(-1);
    layout.fields.forEach((f, i) => o.fill(i, f.offset, f.offset + f.length));
    return o;
  }, [layout]);
  const kinds = useMemo(() => [...new Set(layout.fields.map((f) => f.kind))], [layout]);
  return (
    <div class="pd-bytes">
      <FrameProblems layout={layout} />
      <div class="pd-dump-wrap">
        <HexDump layout={layout} owner={owner} sel={sel} onSelect={setSel} />
        <ul class="pd-legend" aria-label="Field colours">
          {kinds.map((k) => (
            <li key={k}>
              <span class={`pd-swatch k-${k}`} aria-hidden="true" />
              {KIND_LABEL[k] ?? k}
            </li>
          ))}
        </ul>
      </div>
      <FieldTable fields={layout.fields} sel={sel} onSelect={setSel} />
    </div>
  );
}

function FrameProblems({ layout }: { layout: PacketLayout }) {
  if (!layout.error && !layout.payload_error) return null;
  return (
    <ul class="pd-problems" role="note">
      {layout.error ? (
        <li class="pd-problem">
          <strong>MALFORMED frame</strong> ({layout.error.code}
          {layout.error.offset !== null ? ` at offset ${layout.error.offset}` : ''}): {layout.error.message}
        </li>
      ) : null}
      {layout.payload_error ? (
        <li class="pd-problem">
          <strong>TRUNCATED payload</strong>: {layout.payload_error}
        </li>
      ) : null}
    </ul>
  );
}

function HexDump(props: {
  layout: PacketLayout;
  owner: number[];
  sel: number | null;
  onSelect: (i: number) => void;
}) {
  const { layout, owner, sel, onSelect } = props;
  const per = useBytesPerLine();
  const hex = layout.raw_hex.toLowerCase();
  const lines: number[] = [];
  for (let o = 0; o < layout.length; o += per) lines.push(o);
  return (
    <div class="pd-dump hex" aria-label={`Hex dump, ${layout.length} bytes`} role="group">
      {lines.map((start) => (
        <div class="pd-line" key={start}>
          <span class="pd-off" aria-hidden="true">
            {start.toString(16).padStart(4, '0')}
          </span>
          {Array.from({ length: Math.min(per, layout.length - start) }, (_, k) => {
            const i = start + k;
            const f = layout.fields[owner[i]];
            const on = owner[i] === sel;
            return (
              <span
                key={i}
                class={`pd-byte k-${f?.kind ?? 'malformed'}${f && f.status !== 'ok' ? ' st-bad' : ''}${on ? ' on' : ''}`}
                data-offset={i}
                data-field={owner[i]}
                aria-current={on ? 'true' : undefined}
                title={f ? `${i}: ${f.name}` : String(i)}
                onClick={() => onSelect(owner[i])}
              >
                {hex.slice(2 * i, 2 * i + 2)}
              </span>
            );
          })}
        </div>
      ))}
    </div>
  );
}

function FieldTable(props: {
  fields: PacketLayoutField[];
  sel: number | null;
  onSelect: (i: number) => void;
}) {
  const { fields, sel, onSelect } = props;
  return (
    <div class="table-wrap pd-fields-wrap">
      <table class="pd-fields">
        <caption class="sr-only">Frame fields: select a row to highlight its bytes</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              Offset
            </th>
            <th scope="col" class="num">
              Len
            </th>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr
              key={`${f.key}-${f.offset}`}
              tabIndex={0}
              data-key={f.key}
              aria-selected={sel === i ? 'true' : 'false'}
              class={`st-${f.status}`}
              onClick={() => onSelect(i)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(i);
                }
              }}
            >
              <td class="num pd-offset">{f.offset}</td>
              <td class="num pd-len">{f.length}</td>
              <td class="pd-name">
                <span class={`pd-swatch k-${f.kind}`} aria-hidden="true" />
                {f.name}
                {f.status !== 'ok' ? <span class="pd-status">{STATUS_LABEL[f.status]}</span> : null}
              </td>
              <td class="pd-value hex" title={f.value}>
                {f.value}
              </td>
              <td class="pd-desc">
                {f.description}
                {f.bits ? (
                  <span class="pd-bits">
                    {f.bits.map((b) => (
                      <span key={b.name}>
                        {b.name}: {b.label}
                      </span>
                    ))}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
