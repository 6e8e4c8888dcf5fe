// Readiness (spec ingest-store-api §3.3, §7): HTTP listens at once, and /api/healthz answers
// 503 until every registered provider (the store load, first analytics computes, ...) says
// it is ready. Providers are polled per request, so they must be O(1).

export interface ReadinessStatus {
  ready: boolean;
  /** Rows loaded so far; summed into the load-status header. */
  loadedRows?: number;
  /** Why it is not ready, for /api/healthz's `reason` (default 'loading'). */
  reason?: string;
  /** Anything useful to show while loading (percent, phase, ...). */
  progress?: Record<string, unknown>;
}

export type ReadinessProvider = () => ReadinessStatus;

export interface ReadinessState {
  ready: boolean;
  loadedRows: number;
  /** Per provider name. */
  components: Record<string, ReadinessStatus>;
}

export class Readiness {
  readonly #providers = new Map<string, ReadinessProvider>();

  /** Adds a component that must be ready; returns the function that removes it. */
  register(name: string, provider: ReadinessProvider): () => void {
    if (this.#providers.has(name)) throw new Error(`readiness provider '${name}' is already registered`);
    this.#providers.set(name, provider);
    return () => this.#providers.delete(name);
  }

  state(): ReadinessState {
    const components: Record<string, ReadinessStatus> = {};
    let ready = true;
    let loadedRows = 0;
    for (const [name, provider] of this.#providers) {
      let status: ReadinessStatus;
      try {
        status = provider();
      } catch (err) {
        status = { ready: false, progress: { error: (err as Error).message } };
      }
      components[name] = status;
      ready &&= status.ready;
      loadedRows += status.loadedRows ?? 0;
    }
    return { ready, loadedRows, components };
  }
}
