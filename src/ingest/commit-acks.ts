// Broker acknowledgements after the SQLite commit (issue 13, defect #2): a QoS 1 message is
// acknowledged to its broker only once what it caused is durable, so that a crash before the
// commit leaves it unacknowledged and the broker redelivers it on the resumed session (dedup
// absorbs the duplicates). Tokens of handled messages are collected and released in batches:
// one writer flush per batch, at most one flush in flight, so acks never cost a commit each.

export interface AckSink {
  /** Handled and committed (or rejected for content and counted): acknowledge to the broker. */
  ack(tokens: number[]): void;
  /** Not handled (capacity) or not committed: leave unacknowledged, the broker redelivers. */
  nack(tokens: number[]): void;
}

export interface CommitAcksStats {
  /** Tokens released to the broker after a commit. */
  acked: number;
  /** Tokens handed back unacknowledged, by reason (queue_full, writer_backlogged, commit_failed). */
  nacked: Record<string, number>;
  /** Handled, waiting for the next commit. */
  waiting: number;
  flushes: number;
}

export class CommitAcks {
  #sink: AckSink | null = null;
  #waiting: number[] = [];
  #flushing = false;
  #scheduled = false;
  #settledWaiters: (() => void)[] = [];
  readonly #s = { acked: 0, flushes: 0, nacked: {} as Record<string, number> };

  /** `flush` resolves once every write queued before the call is committed. */
  constructor(private readonly flush: () => Promise<void>) {}

  /** Where tokens go (the ingest worker); tokens handled before this is set are not acked. */
  setSink(sink: AckSink | null): void {
    this.#sink = sink;
  }

  /** A message whose effects are queued to the writer: ack it after the next commit. */
  done(token: number): void {
    if (token === 0) return;
    this.#waiting.push(token);
    this.#schedule();
  }

  /** A message not handled for lack of capacity: never acked (the broker redelivers it). */
  refuse(token: number, reason: string): void {
    if (token === 0) return;
    this.#s.nacked[reason] = (this.#s.nacked[reason] ?? 0) + 1;
    this.#sink?.nack([token]);
  }

  /** Resolves once nothing handled is waiting for a commit or in one (at once when so). */
  settled(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  #idle(): boolean {
    return this.#waiting.length === 0 && !this.#flushing && !this.#scheduled;
  }

  stats(): CommitAcksStats {
    return { ...this.#s, nacked: { ...this.#s.nacked }, waiting: this.#waiting.length };
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#waiting.length === 0) return;
    // After the current drain slice: every item it handled joins one flush.
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#release();
    });
  }

  async #release(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = [];
    this.#flushing = true;
    this.#s.flushes++;
    try {
      await this.flush();
      this.#s.acked += batch.length;
      this.#sink?.ack(batch);
    } catch {
      // The writer failed: nothing is acknowledged, the broker redelivers after a reconnect.
      this.#s.nacked.commit_failed = (this.#s.nacked.commit_failed ?? 0) + batch.length;
      this.#sink?.nack(batch);
    } finally {
      this.#flushing = false;
      this.#schedule();
      if (this.#idle()) for (const w of this.#settledWaiters.splice(0)) w();
    }
  }
}
