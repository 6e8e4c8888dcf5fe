// The live feed at /ws, and on any other path whose request asks for `Upgrade: websocket` (as
// CoreScope, whose UI connects to `/`): such upgrades are routed to /ws before Fastify routes
// them, so a plain HTTP GET on `/` or anywhere else is untouched (spec ingest-store-api §5).
// One `packet` message per new observation,
// envelope {type:"packet", data:{...}} with CoreScope's flat fields and both legacy spellings
// (raw/raw_hex, observer/observer_id), serialized once per observation and shared by every
// client. Improvements over the reference, in order of the spec's list:
// - Origin allow-list at upgrade: no Origin, same host, or an exact `corsAllowedOrigins`
//   entry (`*` is deliberately not honoured); anything else 403.
// - Optional subscription: a client may send {"type":"subscribe","regions":[...],"types":[...]}
//   (512-byte frame limit, validated; a bad one gets {"type":"error"} and changes nothing).
// - Per-client bound: at most `maxQueued` messages written but not yet flushed to the socket;
//   beyond it the message is dropped for that client and counted (CoreScope drops silently).
//   A client that keeps dropping for `slowCloseMs` is closed with 1013 ("try again later"):
//   a client that far behind only sees a lossy feed, and reconnecting gives it a clean start.
// - Replies to the client (errors, `subscribed`) go through the same per-client bound; a client
//   sending more than `badMessages.max` invalid messages within `badMessages.windowMs` is closed
//   with 1008 (policy violation): one reply per bad frame was unbounded before (issue 13 #4).
// - ping every 30 s; a client that missed the previous pong is terminated. Close 1001 on shutdown.
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { payloadJson, payloadTypeOf, toCoreScopeJson, type JsonObject } from '../protocol/index.js';
import type { ObservationEvent } from '../ingest/pipeline.js';
import { apiError } from './errors.js';

export interface WebsocketFeedOptions {
  /** Subscribes to new observations (IngestPipeline.onObservation). */
  subscribe: (listener: (e: ObservationEvent) => void) => () => void;
  corsAllowedOrigins: readonly string[];
  perMessageDeflate?: boolean;
  /** Messages in flight per client before dropping (default 256, spec §5). */
  maxQueued?: number;
  pingIntervalMs?: number;
  /** Close a client that has been dropping messages continuously this long (default 10 s). */
  slowCloseMs?: number;
  /** Invalid client messages allowed per window before a 1008 close (default 10 per 10 s). */
  badMessages?: { max: number; windowMs: number };
  /**
   * Per hop: the full key of the one known relay with that prefix, or null (MeshReadModel
   * resolveHopPrefixes). Without it `resolved_path` is null.
   */
  resolveHops?: (hops: readonly string[]) => (string | null)[];
}

/** The path every WebSocket upgrade is served on, whatever path it asked for. */
export const websocketPath = '/ws';

export interface WebsocketStats {
  clients: number;
  connectionsTotal: number;
  rejectedOrigins: number;
  messagesBuilt: number;
  messagesSent: number;
  droppedSlow: number;
  filteredOut: number;
  slowClosed: number;
  pingTimeouts: number;
  subscribeRequests: number;
  badClientMessages: number;
  /** Replies (errors, `subscribed`) not sent because the client's queue was full. */
  repliesDropped: number;
  /** Clients closed with 1008 for too many invalid messages. */
  badClosed: number;
  /** Connections ended by a WebSocket protocol error of the client (oversized or malformed
   * frame: ws closes them 1009/1002), by ws's error code. Counted, not logged: any client can
   * send them, so a log line each would let it flood the log. */
  protocolErrors: Record<string, number>;
}

/** Client-to-server frames above this are refused by ws (close 1009), as in CoreScope. */
export const maxClientMessageBytes = 512;

interface Client {
  socket: WebSocket;
  inFlight: number;
  dropStartMs: number;
  alive: boolean;
  regions: Set<string> | null;
  types: Set<number> | null;
  badCount: number;
  badWindowStartMs: number;
  /** Closed by the server: its further messages are ignored. */
  closing: boolean;
}

const isoOrNull = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/**
 * The `data` object of a `packet` message (spec §5, both field spellings). `timestamp` is the
 * transmission's first-seen time (as CoreScope); the observation's own receive time is
 * `rx_timestamp`. `resolved_path` maps each hop to a relay's full key where the prefix is
 * unambiguous (null per hop otherwise; null as a whole without a resolver or hops).
 */
export function packetMessageData(
  e: ObservationEvent,
  resolveHops?: (hops: readonly string[]) => (string | null)[],
): JsonObject {
  const o = e.observation;
  const h = e.packet.header;
  const payload = e.decodedJson === null ? payloadJson(e.packet) : (JSON.parse(e.decodedJson) as JsonObject);
  const decodedJson = e.decodedJson ?? JSON.stringify(payload);
  const rawHex = e.packet.raw.toString('hex').toUpperCase();
  const pathJson = JSON.stringify(o.path);
  const decoded: JsonObject = { header: { payloadTypeName: h.payloadTypeName }, payload };
  // The path rides along only for TRACE (spec §5): there it is the payload route, and
  // hopsCompleted the header's hop count (the SNR bytes appended so far).
  if (h.payloadType === 9) {
    const path = toCoreScopeJson(e.packet, { raw: false }).path;
    decoded.path = { ...path, hops: o.path, hopsCompleted: e.packet.path.hashCount };
  }
  const resolvedPath = resolveHops && o.path.length > 0 ? resolveHops(o.path) : null;
  const data: JsonObject = {
    id: e.transmissionId,
    observation_id: o.id,
    raw_hex: rawHex,
    raw: rawHex,
    hash: e.hash,
    first_seen: isoOrNull(e.firstSeenMs),
    timestamp: isoOrNull(e.firstSeenMs),
    rx_timestamp: isoOrNull(o.rxMs),
    uploader_timestamp: o.uploaderMs === null ? null : isoOrNull(o.uploaderMs),
    route_type: h.routeType,
    payload_type: h.payloadType,
    decoded_json: decodedJson,
    observer_id: o.observerId,
    observer: o.observerId,
    observer_name: e.observerName,
    region: e.region === '' ? null : e.region,
    snr: o.snr,
    rssi: o.rssi,
    path_json: pathJson,
    resolved_path: resolvedPath,
    direction: o.direction,
    observation_count: e.observationCount,
    decoded,
  };
  data.packet = { ...data, decoded: undefined };
  return data;
}

export class WebsocketFeed {
  readonly #clients = new Set<Client>();
  readonly #s: Omit<WebsocketStats, 'clients'> = {
    connectionsTotal: 0,
    rejectedOrigins: 0,
    messagesBuilt: 0,
    messagesSent: 0,
    droppedSlow: 0,
    filteredOut: 0,
    slowClosed: 0,
    pingTimeouts: 0,
    subscribeRequests: 0,
    badClientMessages: 0,
    protocolErrors: {},
    repliesDropped: 0,
    badClosed: 0,
  };
  readonly #maxQueued: number;
  readonly #slowCloseMs: number;
  readonly #bad: { max: number; windowMs: number };

  constructor(private readonly options: WebsocketFeedOptions) {
    this.#maxQueued = options.maxQueued ?? 256;
    this.#slowCloseMs = options.slowCloseMs ?? 10_000;
    this.#bad = options.badMessages ?? { max: 10, windowMs: 10_000 };
  }

  stats(): WebsocketStats {
    return { clients: this.#clients.size, ...this.#s };
  }

  /** The Fastify plugin (register at the root). */
  plugin(): FastifyPluginAsync {
    return async (app) => {
      await app.register(websocket, {
        options: {
          maxPayload: maxClientMessageBytes,
          perMessageDeflate: this.options.perMessageDeflate ?? false,
        },
        errorHandler: (err, socket, request) => this.#onSocketError(err, socket, request),
        preClose: (done) => {
          for (const c of this.#clients) c.socket.close(1001, 'server shutting down');
          app.websocketServer.close(() => done());
        },
      });
      // Any upgrade request goes to the WebSocket route, whatever its path (CoreScope's UI uses
      // `/`). This listener runs before @fastify/websocket's, which routes the request.
      const toWs = (req: IncomingMessage) => {
        if (req.headers.upgrade?.toLowerCase() !== 'websocket' || req.url === undefined) return;
        const path = req.url.split('?')[0];
        if (path !== websocketPath) req.url = websocketPath;
      };
      app.server.prependListener('upgrade', toWs);
      app.addHook('onClose', async () => void app.server.removeListener('upgrade', toWs));
      const unsubscribe = this.options.subscribe((e) => this.#broadcast(e));
      const ping = setInterval(() => this.#ping(), this.options.pingIntervalMs ?? 30_000);
      ping.unref();
      app.addHook('onClose', async () => {
        unsubscribe();
        clearInterval(ping);
      });
      app.get(
        websocketPath,
        {
          websocket: true,
          schema: { hide: true },
          onRequest: async (request) => {
            if (!this.#originAllowed(request)) {
              this.#s.rejectedOrigins++;
              throw apiError('MESHLENS_ERR_ORIGIN_FORBIDDEN', String(request.headers.origin));
            }
          },
        },
        (socket) => this.#accept(socket),
      );
    };
  }

  #originAllowed(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (this.options.corsAllowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }

  #accept(socket: WebSocket): void {
    const client: Client = {
      socket,
      inFlight: 0,
      dropStartMs: 0,
      alive: true,
      regions: null,
      types: null,
      badCount: 0,
      badWindowStartMs: 0,
      closing: false,
    };
    this.#clients.add(client);
    this.#s.connectionsTotal++;
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => this.#onClientMessage(client, data, isBinary));
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => this.#clients.delete(client));
  }

  /** A socket error: the client's protocol errors are counted; anything else is logged. */
  #onSocketError(err: Error, socket: WebSocket, request: FastifyRequest): void {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
      this.#s.protocolErrors[code] = (this.#s.protocolErrors[code] ?? 0) + 1;
    } else {
      request.log.warn({ err }, 'websocket error');
    }
    socket.terminate();
  }

  #onClientMessage(client: Client, data: unknown, isBinary: boolean): void {
    if (client.closing) return;
    const fail = (error: string) => {
      this.#s.badClientMessages++;
      if (this.#overBadRate(client)) return this.#close(client, 1008, 'too many invalid messages');
      this.#reply(client, JSON.stringify({ type: 'error', error }));
    };
    if (isBinary) return fail('binary frames are not accepted');
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return fail('not JSON');
    }
    if (typeof msg !== 'object' || msg === null || (msg as { type?: unknown }).type !== 'subscribe')
      return fail('expected {"type":"subscribe","regions":[...],"types":[...]}');
    const sub = parseSubscription(msg as Record<string, unknown>);
    if (typeof sub === 'string') return fail(sub);
    this.#s.subscribeRequests++;
    client.regions = sub.regions;
    client.types = sub.types;
    this.#reply(
      client,
      JSON.stringify({
        type: 'subscribed',
        regions: sub.regions ? [...sub.regions] : null,
        types: sub.types ? [...sub.types] : null,
      }),
    );
  }

  /** A reply to the client, within the same per-client bound as the feed (dropped beyond it). */
  #reply(client: Client, text: string): void {
    if (client.inFlight >= this.#maxQueued) {
      this.#s.repliesDropped++;
      return;
    }
    client.inFlight++;
    client.socket.send(text, () => client.inFlight--);
  }

  /** Counts one invalid message; true when the client is over `badMessages` in its window. */
  #overBadRate(client: Client): boolean {
    const now = Date.now();
    if (now - client.badWindowStartMs >= this.#bad.windowMs) {
      client.badWindowStartMs = now;
      client.badCount = 0;
    }
    return ++client.badCount > this.#bad.max;
  }

  /** Closes a client the server gives up on; a peer that does not answer the close is cut after 1 s. */
  #close(client: Client, code: number, reason: string): void {
    client.closing = true;
    this.#clients.delete(client);
    if (code === 1008) this.#s.badClosed++;
    client.socket.close(code, reason);
    setTimeout(() => client.socket.terminate(), 1000).unref();
  }

  #broadcast(e: ObservationEvent): void {
    if (this.#clients.size === 0) return;
    let text: string | null = null;
    const type = e.packet.header.payloadType;
    const now = Date.now();
    for (const c of this.#clients) {
      if ((c.types && !c.types.has(type)) || (c.regions && !c.regions.has(e.region))) {
        this.#s.filteredOut++;
        continue;
      }
      if (c.inFlight >= this.#maxQueued) {
        this.#s.droppedSlow++;
        if (c.dropStartMs === 0) c.dropStartMs = now;
        else if (now - c.dropStartMs >= this.#slowCloseMs) {
          this.#s.slowClosed++;
          this.#close(c, 1013, 'too slow: messages dropped');
        }
        continue;
      }
      c.dropStartMs = 0;
      if (text === null) {
        text = JSON.stringify({ type: 'packet', data: packetMessageData(e, this.options.resolveHops) });
        this.#s.messagesBuilt++;
      }
      c.inFlight++;
      c.socket.send(text, () => {
        c.inFlight--;
        this.#s.messagesSent++;
      });
    }
  }

  #ping(): void {
    for (const c of this.#clients) {
      if (!c.alive) {
        this.#s.pingTimeouts++;
        this.#clients.delete(c);
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}

/** Validates a subscribe message: regions (IATA-like strings) and types (0..15 or names). */
export function parseSubscription(
  msg: Record<string, unknown>,
): { regions: Set<string> | null; types: Set<number> | null } | string {
  for (const key of Object.keys(msg))
    if (key !== 'type' && key !== 'regions' && key !== 'types') return `unknown field '${key}'`;
  let regions: Set<string> | null = null;
  let types: Set<number> | null = null;
  if (msg.regions !== undefined && msg.regions !== null) {
    if (!Array.isArray(msg.regions) || msg.regions.length > 64)
      return 'regions must be an array of at most 64 codes';
    regions = new Set();
    for (const r of msg.regions) {
      if (typeof r !== 'string' || !/^[A-Za-z0-9_-]{1,16}$/.test(r)) return `bad region ${JSON.stringify(r)}`;
      regions.add(r.toUpperCase());
    }
  }
  if (msg.types !== undefined && msg.types !== null) {
    if (!Array.isArray(msg.types) || msg.types.length > 16)
      return 'types must be an array of at most 16 types';
    types = new Set();
    for (const t of msg.types) {
      const n =
        typeof t === 'number' ? t : typeof t === 'string' ? (payloadTypeOf(t.toUpperCase()) ?? -1) : -1;
      if (!Number.isInteger(n) || n < 0 || n > 15) return `bad payload type ${JSON.stringify(t)}`;
      types.add(n);
    }
  }
  return { regions, types };
}
