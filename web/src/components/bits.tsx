// Small pieces of the visual language used on every page.
import type { ComponentChildren } from 'preact';
import { ago, isoUtc } from '../app/format';
import { ROLE_GLYPH, ROLE_LABEL, roleKey, typeColor, typeLabel, type NodeStatus } from '../app/mesh';
import { href } from '../app/router';

/** A role as shape + colour + (optionally) text: never colour alone. */
export function RoleIcon({ role, label = false }: { role: string | null | undefined; label?: boolean }) {
  const k = roleKey(role);
  return (
    <span class={`role role-${k}`} title={ROLE_LABEL[k]}>
      <span class="role-glyph" aria-hidden="true">
        {ROLE_GLYPH[k]}
      </span>
      {label ? <span class="role-label">{ROLE_LABEL[k]}</span> : <span class="sr-only">{ROLE_LABEL[k]}</span>}
    </span>
  );
}

const STATUS_GLYPH: Record<NodeStatus | 'online' | 'stale' | 'offline', string> = {
  active: '●',
  online: '●',
  degraded: '◐',
  stale: '◐',
  silent: '○',
  offline: '○',
  unknown: '?',
};

/** Status as glyph + word + colour, with the reason in the title and for screen readers. */
export function StatusBadge({ status, reason }: { status: keyof typeof STATUS_GLYPH; reason?: string }) {
  return (
    <span class={`status status-${status}`} title={reason}>
      <span aria-hidden="true">{STATUS_GLYPH[status]}</span> {status}
      {reason ? <span class="sr-only">: {reason}</span> : null}
    </span>
  );
}

export function TypeBadge({ type }: { type: number }) {
  return (
    <span class="type-badge" style={{ '--badge': typeColor(type) }}>
      {typeLabel(type)}
    </span>
  );
}

/** A relative time that shows the absolute UTC time on hover. */
export function Time({ t }: { t: string | number | null | undefined }) {
  if (t === null || t === undefined) return <span class="muted">never</span>;
  const abs = isoUtc(t);
  return (
    <time dateTime={typeof t === 'number' ? new Date(t).toISOString() : t} title={abs}>
      {ago(t)}
    </time>
  );
}

/** Monospace hex (keys, hashes) with the full value in the title. */
export function Hex({ value, chars }: { value: string | null | undefined; chars?: number }) {
  if (!value) return <span class="muted">—</span>;
  const shown = chars ? value.slice(0, chars) : value;
  return (
    <code class="hex" title={value}>
      {shown.toUpperCase()}
      {chars && value.length > chars ? '…' : ''}
    </code>
  );
}

export function NodeLink({ pk, name }: { pk: string; name?: string | null }) {
  return (
    <a href={href(`nodes/${pk}`)} class="node-link">
      {name || <code class="hex">{pk.slice(0, 8).toUpperCase()}</code>}
    </a>
  );
}

export function Card({
  title,
  children,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <section class={`card${wide ? ' card-wide' : ''}`} aria-label={title}>
      <h2 class="card-title">{title}</h2>
      {children}
    </section>
  );
}

/** A stat: the value big, its label under it. */
export function Stat({ label, value, hint }: { label: string; value: ComponentChildren; hint?: string }) {
  return (
    <div class="stat" title={hint}>
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
    </div>
  );
}
