// Limits of the HTTP surface: for heavy requests (issue 13 #3), the list routes whose answer can
// be megabytes (/api/packets, /api/nodes, /api/observers), and turns for all the others.
// - `HeavyLimits`: per-IP rate limit per route (@fastify/rate-limit, 429 + Retry-After), a gate
//   on heavy requests in progress at once with a short FIFO queue (then 503 MESHLENS_ERR_BUSY +
//   Retry-After), and a stall cut-off for answers the client takes nothing of. A route opts in
//   by spreading `heavyRoute(app.meshlens.heavy)` into its options.
// - `sendJsonList`: the answer of such a route, serialized lazily in ~64 KiB chunks and streamed
//   with back-pressure: the next chunk is built only when the socket has drained, so a client
//   that never reads holds about one chunk, not the whole body, and the event loop never
//   serializes megabytes in one turn. Bodies of one chunk or less are sent as before (one string
//   with Content-Length); the bytes are the same either way.
// - `RequestTurns`: at most `http.requestConcurrency` other API requests in progress, the rest
//   waiting in arrival order, so that one event-loop turn never handles a whole crowd.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { Readable } from 'node:stream';
import type { HttpLimitsConfig } from '../config/types.js';
import { busy, rateLimited } from './errors.js';
import type { LazyList } from '../store/read-model.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by heavyRoute(): the route has the heavy gate, RequestTurns leaves it alone. */
    heavy?: boolean;
  }
}

/** Chunk size of a streamed list answer (characters of JSON). */
export const listChunkChars = 64 * 1024;

export interface HeavyStats {
  inProgress: number;
  max: number;
  /** Waiting for a slot now. */
  queued: number;
  rejectedBusy: number;
  rateLimited: number;
  /** Heavy answers cut because the client took nothing for heavyStallTimeoutMs. */
  stalled: number;
}

/** The rate limit and concurrency gate shared by every heavy route of one app. */
export class HeavyLimits {
  #inProgress = 0;
  #rejectedBusy = 0;
  #rateLimited = 0;
  #stalled = 0;
  /** FIFO of requests waiting for a slot: each is handed a freed slot, or gives up. */
  readonly #waiting = new Set<() => void>();
  readonly routeOptions: Pick<RouteShorthandOptions, 'config' | 'preHandler'>;

  constructor(private readonly limits: Readonly<HttpLimitsConfig>) {
    const rate = limits.rateLimit;
    this.routeOptions = {
      config: {
        heavy: true, // RequestTurns leaves these to this gate
        ...(rate.max > 0 ? { rateLimit: { max: rate.max, timeWindow: rate.windowSec * 1000 } } : {}),
      },
      preHandler: async (request, reply) => this.#enter(request, reply),
    };
  }

  /** Registers @fastify/rate-limit (before the routes: it wires routes as they are added). */
  async register(app: FastifyInstance): Promise<void> {
    await app.register(rateLimit, {
      global: false,
      allowList: this.limits.rateLimit.allowList,
      errorResponseBuilder: (_request, context) => {
        this.#rateLimited++;
        return rateLimited(Math.max(1, Math.ceil(context.ttl / 1000)));
      },
    });
  }

  stats(): HeavyStats {
    return {
      inProgress: this.#inProgress,
      max: this.limits.heavyConcurrency,
      queued: this.#waiting.size,
      rejectedBusy: this.#rejectedBusy,
      rateLimited: this.#rateLimited,
      stalled: this.#stalled,
    };
  }

  /**
   * Takes a slot until the response has been sent or its connection closed. None free: waits
   * up to heavyQueueTimeoutMs in a queue of heavyQueue (a burst of a page's own requests), and
   * beyond either answers 503 with Retry-After.
   */
  async #enter(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (this.#inProgress < this.limits.heavyConcurrency) this.#inProgress++;
    else if (!(await this.#queue(reply))) {
      this.#rejectedBusy++;
      throw busy(this.#inProgress, this.limits.heavyRetryAfterSec);
    }
    const watch = this.#watchStall(reply);
    let released = false;
    // 'close' follows 'finish' and also comes when the client goes away mid-answer.
    reply.raw.once('close', () => {
      if (released) return;
      released = true;
      if (watch) clearInterval(watch);
      const next = this.#waiting.values().next();
      if (next.done) this.#inProgress--;
      else next.value(); // the slot passes to the longest-waiting request
    });
  }

  /** Waits for a slot handed over by a finishing request; false when full, timed out or gone. */
  #queue(reply: FastifyReply): Promise<boolean> {
    if (this.#waiting.size >= this.limits.heavyQueue) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (granted: boolean) => {
        this.#waiting.delete(grant);
        clearTimeout(timer);
        reply.raw.off('close', gone);
        resolve(granted);
      };
      const grant = () => done(true);
      const gone = () => done(false);
      const timer = setTimeout(gone, this.limits.heavyQueueTimeoutMs);
      reply.raw.once('close', gone);
      this.#waiting.add(grant);
    });
  }

  /**
   * A client that takes nothing of a started answer for heavyStallTimeoutMs is cut off, so a
   * reader that never reads holds a slot (and its buffered chunk) for seconds, not for ever.
   * `bytesWritten` counts what was handed to the socket, buffered or not: under back-pressure
   * it stops growing.
   */
  #watchStall(reply: FastifyReply): NodeJS.Timeout | null {
    const ms = this.limits.heavyStallTimeoutMs;
    if (!(ms > 0)) return null;
    let last = -1;
    return setInterval(() => {
      const socket = reply.raw.socket;
      if (!reply.raw.headersSent || !socket) return; // still computing
      if (socket.bytesWritten === last) {
        this.#stalled++;
        socket.destroy();
      }
      last = socket.bytesWritten;
    }, ms).unref();
  }
}

export interface RequestTurnStats {
  limit: number;
  inProgress: number;
  queued: number;
  /** Requests that had to wait for their turn, since start. */
  waited: number;
}

/**
 * Turns for the API requests the heavy gate does not cover: at most `limit` in progress, the
 * others wait in arrival order, each resumed from setImmediate, so a freed slot never starts
 * the next request in the same event-loop turn. Under a crowd of clients the work of one turn
 * stays bounded (the soak's loop p99 was the 64 clients' requests all handled in one turn),
 * and MQTT ingest, WebSocket sends and timers get the loop every few ms. A waiting request
 * holds only its socket. Health probes (`/api/health`, `/api/healthz`) never wait.
 */
export class RequestTurns {
  #inProgress = 0;
  #waited = 0;
  readonly #waiting = new Set<() => void>();

  constructor(private readonly limit: number) {}

  stats(): RequestTurnStats {
    return {
      limit: this.limit,
      inProgress: this.#inProgress,
      queued: this.#waiting.size,
      waited: this.#waited,
    };
  }

  /** The onRequest hook: returns once the request has a turn (at once below the limit). */
  async enter(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!(this.limit > 0) || !request.url.startsWith('/api/')) return;
    if (request.routeOptions.config?.heavy) return;
    const path = request.url.split('?')[0];
    if (path === '/api/health' || path === '/api/healthz') return;
    if (this.#inProgress < this.limit) this.#inProgress++;
    else {
      this.#waited++;
      // The client left while waiting: end the lifecycle without running the handler (the
      // answer goes nowhere; 503s are not logged).
      if (!(await this.#wait(reply))) throw busy(this.#inProgress, 1);
    }
    reply.raw.once('close', () => this.#release());
  }

  #wait(reply: FastifyReply): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const grant = () => {
        // Gone between the hand-over and this turn: the slot passes on.
        if (settled) return this.#release();
        settled = true;
        reply.raw.off('close', gone);
        resolve(true);
      };
      const gone = () => {
        if (settled) return;
        settled = true;
        this.#waiting.delete(grant);
        resolve(false);
      };
      reply.raw.once('close', gone);
      this.#waiting.add(grant);
    });
  }

  /** The slot passes to the longest-waiting request, in a later turn of the loop. */
  #release(): void {
    const next = this.#waiting.values().next();
    if (next.done) {
      this.#inProgress--;
      return;
    }
    this.#waiting.delete(next.value);
    setImmediate(next.value);
  }
}

/** Route options that make a route heavy (none when the app has no limits, e.g. a bare test app). */
export function heavyRoute(
  heavy: HeavyLimits | undefined,
): Pick<RouteShorthandOptions, 'config' | 'preHandler'> {
  return heavy?.routeOptions ?? {};
}

export interface JsonListAnswer<T> {
  /** The response's other fields; the list goes under `key` (the route's 200 schema orders them). */
  envelope: Record<string, unknown>;
  key: string;
  /**
   * The list's entries: an array (each released once rendered) or a LazyList, whose entries are
   * built only when their chunk is rendered (null entries are skipped).
   */
  items: readonly T[] | LazyList<T>;
  /** One entry as JSON text (the route's item serializer, so the bytes equal the whole answer's). */
  render: (item: T) => string;
  chunkChars?: number;
}

/**
 * Sends `{...envelope, [key]: items}` as the route's 200 schema serializes it, built chunk by
 * chunk: one string when it fits in a chunk, else a stream that renders the next chunk only
 * when the previous one has been taken by the socket.
 */
export function sendJsonList<T>(reply: FastifyReply, answer: JsonListAnswer<T>): FastifyReply {
  const next = listChunks(reply, answer);
  const first = next();
  reply.type('application/json; charset=utf-8');
  const second = next();
  if (second === null) return reply.send(first);
  let pending: string | null = second;
  const stream = new Readable({
    highWaterMark: answer.chunkChars ?? listChunkChars,
    read() {
      const chunk = pending ?? next();
      pending = null;
      this.push(chunk);
    },
  });
  stream.push(first);
  return reply.send(stream);
}

/** The route's serializer for one list entry of `schema` (the same code as inside the whole answer). */
export function itemSerializer(
  reply: FastifyReply,
  schema: Record<string, unknown>,
): (item: object) => string {
  const serialize = reply.compileSerializationSchema(schema);
  return (item) => serialize(item as Record<string, unknown>);
}

/** Successive chunks of the answer's JSON text, then null. */
function listChunks<T>(reply: FastifyReply, answer: JsonListAnswer<T>): () => string | null {
  const { items, render, key } = answer;
  const chunkChars = answer.chunkChars ?? listChunkChars;
  // The envelope with an empty list, split around the list: exactly the route's own bytes.
  const empty = reply.getSerializationFunction('200')!({ [key]: [], ...answer.envelope });
  const marker = `${JSON.stringify(key)}:[`;
  const at = empty.indexOf(marker) + marker.length;
  if (at < marker.length) throw new Error(`sendJsonList: '${key}' is not in the 200 schema`);
  const entry = entryReader(items);
  const length = items.length;
  let i = 0;
  let first = true;
  let done = false;
  let text = empty.slice(0, at);
  return () => {
    if (done) return null;
    while (i < length && text.length < chunkChars) {
      const item = entry(i++);
      if (item === null) continue;
      if (!first) text += ',';
      first = false;
      text += render(item);
    }
    if (i >= length) {
      text += empty.slice(at);
      done = true;
    }
    const out = text;
    text = '';
    return out;
  };
}

/** Entry i of the list (null to skip); an array's slot is released as it is read. */
function entryReader<T>(items: readonly T[] | LazyList<T>): (i: number) => T | null {
  if (!Array.isArray(items)) return (i) => (items as LazyList<T>).entry(i);
  const slots = items as (T | undefined)[];
  return (i) => {
    const v = slots[i] as T;
    slots[i] = undefined;
    return v;
  };
}
