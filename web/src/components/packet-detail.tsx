// The packet detail (frontend spec §2.3 "Detail pane"): header with the packet's meaning, the
// selected observation's path resolved to node names, the observations, and the frame byte by
// byte. Used full width by the #/packet/<id|hash> page and beside the Packets table. The
// selected observation lives in the URL (`?obs=`), so a link reproduces the view.
import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PacketDetailResponse, PacketItem, PacketLayout } from '../../../src/api/contract';
import { ApiError } from '../app/api';
import { safeJson, shortKey } from '../app/format';
import { href, setParams } from '../app/router';
import { useApi } from '../app/use-api';
import { Hex, NodeLink, Time, TypeBadge } from './bits';
import { DataState } from './page';
import { FrameBytes } from './frame-bytes';
import { ObservationsTable, obsPath, ResolvedPath } from './packet-path';
import '../styles/packet-detail.css';

/** The idOrHash whose detail is on screen (data shown), for the page's data-loaded marker. */
export const packetDetailShown = signal<string | null>(null);

type Decoded = Record<string, unknown> & { type?: string };

export function PacketDetail({
  idOrHash,
  obs,
  onClose,
}: {
  idOrHash: string;
  obs?: number | null;
  onClose?: () => void;
}) {
  const key = encodeURIComponent(idOrHash);
  const detail = useApi<PacketDetailResponse>(`/packets/${key}`);
  const layout = useApi<PacketLayout>(`/packets/${key}/layout`);
  const [selected, setSelected] = useState<number | null>(obs ?? null);
  useEffect(() => setSelected(obs ?? null), [obs, idOrHash]);
  const data = detail.data;
  const shown = data !== null && layout.data !== null;
  const notFound = detail.error instanceof ApiError && detail.error.status === 404;
  useEffect(() => {
    packetDetailShown.value = shown || notFound ? idOrHash : null;
    return () => {
      packetDetailShown.value = null;
    };
  }, [shown, notFound, idOrHash]);

  if (notFound) {
    return (
      <div class="packet-detail pd-not-found" data-loaded="true" role="alert">
        <p class="state state-empty">
          Packet <code class="hex">{idOrHash}</code> not found: no stored packet has this id or hash.
        </p>
        {onClose ? <CloseButton onClose={onClose} /> : null}
      </div>
    );
  }
  if (!data) return <DataState loading={detail.loading} error={detail.error} />;
  const observations = data.observations;
  const current = observations.find((o) => o.id === selected) ?? observations[0] ?? null;
  const select = (id: number) => {
    setSelected(id);
    setParams({ obs: id });
  };
  const decoded = safeJson<Decoded>(data.packet.decoded_json, {});
  return (
    <article class="packet-detail" data-loaded={shown ? 'true' : 'false'} data-hash={data.packet.hash}>
      <DetailHeader
        packet={data.packet}
        decoded={decoded}
        layout={layout.data}
        hops={current ? obsPath(current).length : 0}
        obsId={current?.id ?? null}
        onClose={onClose}
      />
      <section class="pd-section" aria-labelledby="pd-path-h">
        <h2 id="pd-path-h">
          Path
          {current ? (
            <span class="muted"> as heard by {current.observer_name ?? current.observer_id.slice(0, 8)}</span>
          ) : null}
        </h2>
        {current ? (
          <ResolvedPath
            hops={obsPath(current)}
            observer={current.observer_id}
            from={data.packet.from_pubkey}
          />
        ) : null}
        {current && layout.data ? <FramePathNote layout={layout.data} hops={obsPath(current)} /> : null}
        {current ? null : <p class="muted">No observation.</p>}
      </section>
      <section class="pd-section" aria-labelledby="pd-obs-h">
        <h2 id="pd-obs-h">Observations ({observations.length})</h2>
        <ObservationsTable observations={observations} selected={current?.id ?? null} onSelect={select} />
      </section>
      <section class="pd-section" aria-labelledby="pd-bytes-h">
        <h2 id="pd-bytes-h">
          Frame bytes{layout.data ? <span class="muted"> ({layout.data.length} bytes)</span> : null}
        </h2>
        {layout.data ? (
          <FrameBytes layout={layout.data} />
        ) : (
          <DataState loading={layout.loading} error={layout.error} />
        )}
      </section>
    </article>
  );
}

/**
 * The observer reports its own path; the stored frame (first copy received) carries the path
 * bytes it had then. When they differ, say so rather than let the breakdown contradict the path.
 */
function FramePathNote({ layout, hops }: { layout: PacketLayout; hops: string[] }) {
  const frameHops = layout.fields
    .filter((f) => /^path_\d+$/.test(f.key) && f.kind === 'path')
    .map((f) => f.value);
  // TRACE path bytes are SNRs; an undecodable frame has no path to compare (its error says why).
  if (layout.error || layout.fields.some((f) => f.key === 'trace_tag')) return null;
  if (frameHops.join(',') === hops.map((h) => h.toUpperCase()).join(',')) return null;
  return (
    <p class="muted pd-path-note">
      The stored frame's path bytes hold {frameHops.length} hop{frameHops.length === 1 ? '' : 's'}
      {frameHops.length ? ` (${frameHops.join(' ')})` : ''}; this observer reported {hops.length}.
    </p>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" class="pd-close" onClick={onClose} aria-label="Close packet detail">
      ✕
    </button>
  );
}

function DetailHeader(props: {
  packet: PacketItem;
  decoded: Decoded;
  layout: PacketLayout | null;
  hops: number;
  obsId: number | null;
  onClose?: () => void;
}) {
  const { packet, decoded, layout, hops, obsId, onClose } = props;
  const text = layout?.decrypted?.text ?? (typeof decoded.text === 'string' ? decoded.text : null);
  return (
    <header class="pd-header">
      <div class="pd-title">
        <TypeBadge type={packet.payload_type} />
        <span class="pd-meaning">{meaning(decoded, packet)}</span>
        <span class="pill pd-hops">
          {hops} hop{hops === 1 ? '' : 's'}
        </span>
        {onClose ? <CloseButton onClose={onClose} /> : null}
      </div>
      <dl class="pd-facts">
        <Endpoints decoded={decoded} packet={packet} />
        <dt>Hash</dt>
        <dd>
          <code class="hex pd-hash">{packet.hash}</code>
        </dd>
        <dt>First seen</dt>
        <dd>
          <Time t={packet.first_seen} />
        </dd>
        {layout?.signature ? (
          <>
            <dt>Signature</dt>
            <dd class={`pd-sig pd-sig-${layout.signature}`}>{SIG_LABEL[layout.signature]}</dd>
          </>
        ) : null}
      </dl>
      {text !== null ? (
        <blockquote class="pd-message">
          {typeof decoded.channel === 'string' ? <span class="pd-channel">{decoded.channel}</span> : null}
          {text}
        </blockquote>
      ) : null}
      <Actions hash={packet.hash} obsId={obsId} />
    </header>
  );
}

const SIG_LABEL = { verified: '✓ verified', invalid: '✗ INVALID', not_checked: 'not checked' } as const;

function Endpoints({ decoded, packet }: { decoded: Decoded; packet: PacketItem }) {
  const str = (k: string) => (typeof decoded[k] === 'string' ? (decoded[k] as string) : null);
  let from: ComponentChildren = null;
  let to: ComponentChildren = null;
  if (packet.from_pubkey) from = <NodeLink pk={packet.from_pubkey} name={str('name')} />;
  else if (str('sender')) from = <span>{str('sender')}</span>;
  else if (str('srcHash')) from = <Hex value={str('srcHash')} />;
  else if (str('ephemeralPubKey')) from = <Hex value={str('ephemeralPubKey')} chars={8} />;
  if (str('destHash')) to = <Hex value={str('destHash')} />;
  else if (str('channel')) to = <span>{str('channel')}</span>;
  else if (decoded.type === 'ADVERT') to = <span class="muted">everyone (flood)</span>;
  if (from === null && to === null) return null;
  return (
    <>
      <dt>From → to</dt>
      <dd class="pd-endpoints">
        {from ?? <span class="muted">unknown</span>} → {to ?? <span class="muted">unknown</span>}
      </dd>
    </>
  );
}

/** One line saying what the packet is, from the stored decoded payload. */
function meaning(d: Decoded, p: PacketItem): string {
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  switch (d.type) {
    case 'ADVERT':
      return `Advert from ${s('name') || shortKey(s('pubKey'))}`;
    case 'CHAN':
      return `Message in ${s('channel')}${s('sender') ? ` from ${s('sender')}` : ''}`;
    case 'GRP_TXT':
    case 'GRP_DATA':
      return `Encrypted channel ${d.type === 'GRP_TXT' ? 'message' : 'data'} (channel hash ${s('channelHashHex')}, ${s('decryptionStatus').replace('_', ' ')})`;
    case 'TXT_MSG':
      return `Direct message ${s('srcHash').toUpperCase()} → ${s('destHash').toUpperCase()}`;
    case 'REQ':
    case 'RESPONSE':
      return `${d.type === 'REQ' ? 'Request' : 'Response'} ${s('srcHash').toUpperCase()} → ${s('destHash').toUpperCase()}`;
    case 'PATH':
      return `Returned path ${s('srcHash').toUpperCase()} → ${s('destHash').toUpperCase()}`;
    case 'ACK':
      return `Acknowledgement ${s('extraHash')}`;
    case 'ANON_REQ':
      return `Anonymous request to ${s('destHash').toUpperCase()}`;
    case 'TRACE':
      return `Trace over ${(p._parsedPath ?? []).length} hops`;
    case 'CONTROL':
      return `Control: ${s('ctrlSubtype')}`;
    default:
      return d.type ? `${d.type} packet` : 'Undecoded packet';
  }
}

function Actions({ hash, obsId }: { hash: string; obsId: number | null }) {
  const [copied, setCopied] = useState(false);
  const link = `${location.origin}${location.pathname}${href(`packet/${hash}`, { obs: obsId })}`;
  const copy = () => {
    void navigator.clipboard?.writeText(link).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div class="pd-actions">
      <button type="button" onClick={copy} data-link={link}>
        {copied ? 'Link copied' : 'Copy link'}
      </button>
      <a class="button" href={href(`tools/trace/${hash}`)}>
        Trace
      </a>
      <a class="button" href={href('map', { packet: hash, obs: obsId })}>
        View route on map
      </a>
    </div>
  );
}
