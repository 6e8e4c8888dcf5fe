// A relay hop as the topology and distance tabs show it: the node's name linking to its page
// when the prefix resolved to one node, else the raw prefix in monospace (an ambiguous or
// unknown hop is never shown as a guess).
import { NodeLink } from '../../components/bits';

export function HopLabel({ hop, name, pubkey }: { hop: string; name: string | null; pubkey: string | null }) {
  if (pubkey) return <NodeLink pk={pubkey} name={name ?? undefined} />;
  return (
    <code class="hex" title={`Prefix ${hop.toUpperCase()}: not resolved to a single node`}>
      {hop.toUpperCase()}
    </code>
  );
}

/** A "Show all N" / "Show fewer" toggle for long tables. */
export function MoreToggle({
  shown,
  total,
  open,
  onToggle,
}: {
  shown: number;
  total: number;
  open: boolean;
  onToggle: () => void;
}) {
  if (total <= shown && !open) return null;
  return (
    <button type="button" class="more-toggle" aria-expanded={open} onClick={onToggle}>
      {open ? 'Show fewer' : `Show all ${total}`}
    </button>
  );
}
