// Is the server ready? Polls /api/healthz: 503 while the store loads (the shell shows a progress
// banner, never an error page), then slowly while ready. A 503 for another reason (writes
// failing, an MQTT source down or silent) means the store is served but ingest is degraded: the
// pages work and the shell shows the server's reason. `clientConfig` and `stats` are loaded
// once here for every page.
import { signal } from '@preact/signals';
import type { ClientConfigResponse, HealthzResponse, StatsResponse } from '../../../src/api/contract';
import { api } from './api';

export interface ServerState {
  /** null until the first answer. */
  ready: boolean | null;
  /** 0..1 while loading, when the server says how far it is. */
  progress: number | null;
  phase: string | null;
  /** The server cannot be reached at all. */
  unreachable: boolean;
  /** Ingest is degraded (the store is served): the server's reason, for the banner. */
  degraded: string | null;
}

export const serverState = signal<ServerState>({
  ready: null,
  progress: null,
  phase: null,
  unreachable: false,
  degraded: null,
});
export const clientConfig = signal<ClientConfigResponse | null>(null);
export const stats = signal<StatsResponse | null>(null);

async function pollHealth(): Promise<boolean> {
  try {
    const res = await fetch('/api/healthz', { headers: { accept: 'application/json' } });
    const body = (await res.json()) as HealthzResponse;
    const p = body.components?.store?.progress;
    const loading = !body.ready && (body.reason ?? 'loading') === 'loading';
    const ready = res.ok ? body.ready : !loading;
    serverState.value = {
      ready,
      progress: p && p.rowsTotal > 0 ? Math.min(1, p.rowsLoaded / p.rowsTotal) : null,
      phase: p?.phase ?? null,
      unreachable: false,
      degraded: body.ready || loading ? null : degradedText(body),
    };
    return ready;
  } catch {
    serverState.value = { ...serverState.value, unreachable: true };
    return false;
  }
}

function degradedText(body: HealthzResponse): string {
  const w = body.degraded?.writer;
  if (body.reason === 'degraded' && w)
    return `Database writes are failing (${w.code}): new packets are kept and retried until they are stored.`;
  return `Ingest is degraded: ${body.reason ?? 'unknown reason'}.`;
}

async function refreshStats(): Promise<void> {
  try {
    stats.value = await api<StatsResponse>('/stats', { waitWhileWarming: false });
  } catch {
    /* the banner already says why */
  }
}

/** Starts polling; returns a stop function. */
export function startServerState(): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const loop = async () => {
    const ready = await pollHealth();
    if (ready) {
      if (!clientConfig.value)
        clientConfig.value = await api<ClientConfigResponse>('/config/client').catch(() => null);
      await refreshStats();
    }
    // Degraded: checked every 2 s so the banner goes away soon after ingest recovers.
    const next = !ready ? 1000 : serverState.value.degraded ? 2000 : 15_000;
    if (!stopped) timer = setTimeout(loop, next);
  };
  void loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
