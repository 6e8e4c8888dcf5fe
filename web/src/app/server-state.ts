// Is the server ready? Polls /api/healthz: 503 while the store loads (the shell shows a progress
// banner, never an error page), then slowly while ready. `clientConfig` and `stats` are loaded
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
}

export const serverState = signal<ServerState>({
  ready: null,
  progress: null,
  phase: null,
  unreachable: false,
});
export const clientConfig = signal<ClientConfigResponse | null>(null);
export const stats = signal<StatsResponse | null>(null);

async function pollHealth(): Promise<boolean> {
  try {
    const res = await fetch('/api/healthz', { headers: { accept: 'application/json' } });
    const body = (await res.json()) as HealthzResponse;
    const p = body.components?.store?.progress;
    serverState.value = {
      ready: res.ok && body.ready,
      progress: p && p.rowsTotal > 0 ? Math.min(1, p.rowsLoaded / p.rowsTotal) : null,
      phase: p?.phase ?? null,
      unreachable: false,
    };
    return res.ok && body.ready;
  } catch {
    serverState.value = { ...serverState.value, unreachable: true };
    return false;
  }
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
    if (!stopped) timer = setTimeout(loop, ready ? 15_000 : 1000);
  };
  void loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
