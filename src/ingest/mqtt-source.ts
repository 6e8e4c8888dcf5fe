// One MQTT client per configured source (spec ingest-store-api §1.5): the same code talks to
// the embedded broker, Mosquitto or any other broker. Every message goes to one onMessage
// callback; oversize messages are refused before anyone parses them.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { initialSourceStatus, PerSecondRing, type SourceStatus } from './source-status.js';
import { DeferredAcks } from './deferred-acks.js';
import { SilenceWatch } from './silence.js';

export interface MqttSourceOptions {
  name: string;
  /** mqtt://, mqtts://, ws:// or wss:// URL. */
  url: string;
  username?: string;
  password?: string;
  /** false skips TLS certificate verification. */
  rejectUnauthorized?: boolean;
  topics: string[];
  /** Fallback IATA for topics without one. */
  region?: string;
  /** Per-source IATA allow-list (packets only). */
  iataFilter?: string[];
  /** How long start() waits for the first connection (s, default 30). */
  connectTimeoutSec?: number;
  maxMessageBytes: number;
  /** Subscription QoS (default 0 here; sources.ts resolves config `qos`, default 1). */
  qos?: 0 | 1;
  /** Stable client id; with `persistentSession` a restart resumes the broker's session. */
  clientId?: string;
  /** clean: false (the broker keeps the subscription and unacked messages). Default false. */
  persistentSession?: boolean;
  /**
   * Hold each QoS 1 message's PUBACK until ack(token) (after the commit). Default false: mqtt.js
   * acknowledges on receipt.
   */
  deferAcks?: boolean;
  /** Reconnect backoff: doubles from 500 ms up to this, with jitter (default 2000 ms). */
  maxReconnectDelayMs?: number;
  /** Silence watchdog: floor of the silence threshold (default 60 s), see silence.ts. */
  silenceFloorMs?: number;
  /** Silence watchdog: threshold = max(floor, factor x the expected gap) (default 10). */
  silenceFactor?: number;
  /** Watchdog scan period (default floor / 4, at most 5 s). */
  watchdogEveryMs?: number;
  /** After a refused (nacked) message, reconnect this much later for the redelivery (default 5 s). */
  redeliverAfterMs?: number;
}

/** `ack`: the token to pass to ack()/refuse() once handled (0: nothing to acknowledge). */
export type MessageHandler = (topic: string, payload: Buffer, source: MqttSource, ack: number) => void;

export interface MqttSourceEvents {
  onMessage: MessageHandler;
  /** A message refused before parsing (`oversize`); `ack` as for onMessage. */
  onReject?: (
    code: 'oversize',
    detail: { topic: string; bytes: number; source: MqttSource; ack: number },
  ) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const firstReconnectDelayMs = 500;

export class MqttSource {
  readonly name: string;
  readonly options: Readonly<MqttSourceOptions>;
  readonly #events: MqttSourceEvents;
  #client: MqttClient | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #redeliver: NodeJS.Timeout | null = null;
  #ring = new PerSecondRing();
  #status: SourceStatus;
  readonly #silence: SilenceWatch;
  readonly #acks = new DeferredAcks();
  #subscribedAtMs: number | null = null;
  #lastForcedReconnectMs = 0;
  #shortLived = 0;
  #up = false;
  /** The last error logged, for rate-limiting a repeated one (see #fail). */
  #repeated: { message: string; loggedMs: number; count: number } | null = null;

  constructor(options: MqttSourceOptions, events: MqttSourceEvents) {
    this.name = options.name;
    this.options = options;
    this.#events = events;
    this.#status = initialSourceStatus(options.name, options.url);
    this.#status.qos = options.qos ?? 0;
    this.#status.persistentSession = options.persistentSession ?? false;
    this.#silence = new SilenceWatch({
      floorMs: options.silenceFloorMs ?? 60_000,
      factor: options.silenceFactor ?? 10,
    });
  }

  /**
   * Connects and subscribes; resolves true once connected, false if connectTimeoutSec passed
   * first (the client keeps retrying in the background). Idempotent.
   */
  start(): Promise<boolean> {
    if (this.#client) return Promise.resolve(this.#client.connected);
    const o = this.options;
    const persistent = o.persistentSession ?? false;
    const clientOptions: IClientOptions = {
      reconnectPeriod: firstReconnectDelayMs,
      connectTimeout: 10_000,
      keepalive: 30,
      clean: !persistent,
      // We subscribe on every connect ourselves (to see each SUBACK).
      resubscribe: false,
      clientId: o.clientId ?? `meshlens-${o.name}-${Math.random().toString(16).slice(2, 10)}`,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    const client = mqtt.connect(o.url, clientOptions);
    this.#client = client;
    client.setMaxListeners(20);
    if (o.deferAcks) this.#acks.attach(client);
    this.#wire(client);

    const every = o.watchdogEveryMs ?? Math.min(5000, Math.max(50, this.#silence.policy.floorMs / 4));
    this.#watchdog = setInterval(() => this.#checkLiveness(), every);
    this.#watchdog.unref();

    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(
        () => {
          client.off('connect', onConnect);
          resolve(false);
        },
        (o.connectTimeoutSec ?? 30) * 1000,
      );
      timer.unref();
      const onConnect = () => {
        clearTimeout(timer);
        resolve(true);
      };
      client.once('connect', onConnect);
    });
  }

  #wire(client: MqttClient): void {
    let attempts = 0;
    client.on('connect', () => {
      attempts = 0;
      this.#up = true;
      this.#status.connectCount++;
      this.#status.lastConnectMs = Date.now();
      // A session-takeover streak stays visible while it lasts.
      if (this.#shortLived < 3) this.#status.lastError = null;
      this.#log('info', `connected to ${this.#status.broker}`);
      this.#subscribe(client);
    });
    // Runs before mqtt.js schedules its reconnect timer, so the new period applies to it:
    // doubling from 500 ms to the cap, with jitter (50-100 %) so that many clients of one
    // broker do not come back in step.
    client.prependListener('close', () => {
      this.#subscribedAtMs = null;
      this.#status.subscribed = false;
      if (this.#up) {
        this.#up = false;
        this.#status.disconnectCount++;
        this.#status.lastDisconnectMs = Date.now();
        this.#log('warn', `disconnected from ${this.#status.broker}`);
        this.#noteShortLived(client);
      }
      attempts++;
      const cap = this.options.maxReconnectDelayMs ?? 2000;
      const delay = Math.min(firstReconnectDelayMs * 2 ** Math.min(attempts - 1, 16), cap);
      client.options.reconnectPeriod = Math.max(50, Math.round(delay * (0.5 + Math.random() / 2)));
    });
    client.on('error', (err) => this.#fail(err.message));
    client.on('message', (topic, payload, packet) => {
      const ack =
        this.options.deferAcks && packet.qos === 1 && packet.messageId !== undefined
          ? this.#acks.defer(packet.messageId)
          : 0;
      this.#receive(topic, payload, ack);
    });
  }

  /** Connections the broker closes within seconds, again and again: most often another client
   *  with the same id (each connect takes the session from the other). Said once per streak. */
  #noteShortLived(client: MqttClient): void {
    const lived = Date.now() - (this.#status.lastConnectMs ?? 0);
    this.#shortLived = lived < 10_000 ? this.#shortLived + 1 : 0;
    if (this.#shortLived === 3)
      this.#fail(
        `the broker closed 3 connections within seconds of connecting: is client id '${client.options.clientId}' used by another client?`,
      );
  }

  /** Subscribes (every connect, and to recover from silence); ready once the SUBACK came. */
  #subscribe(client: MqttClient): void {
    const qos = this.options.qos ?? 0;
    client.subscribe(this.options.topics, { qos }, (err, granted) => {
      if (client !== this.#client || !client.connected) return;
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (err || refused.length > 0) {
        this.#fail(`subscribe failed: ${err ? err.message : `refused ${refused.join(', ')}`}`);
        return;
      }
      this.#subscribedAtMs = Date.now();
      this.#status.subscribed = true;
      this.#status.lastSubscribeMs = this.#subscribedAtMs;
    });
  }

  /** Disconnects (cleanly when connected) and stops retrying. Safe to call repeatedly. */
  async stop(): Promise<void> {
    if (this.#watchdog) clearInterval(this.#watchdog);
    if (this.#redeliver) clearTimeout(this.#redeliver);
    this.#watchdog = null;
    this.#redeliver = null;
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    if (!client.connected) {
      await client.endAsync(true);
      return;
    }
    // DISCONNECT after what was written (PUBACKs of committed messages); a dead peer: 2 s.
    const timer = setTimeout(() => client.stream?.destroy(), 2000);
    await client.endAsync(false).catch(() => undefined);
    clearTimeout(timer);
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  /** Stops reading from the broker (before a clean stop: what was read gets committed and
   *  acknowledged, nothing more comes in); writes (PUBACKs) still go out. */
  pauseIntake(): void {
    this.#client?.stream?.pause();
  }

  /** Acknowledges these messages to the broker (their effects are committed). */
  ack(tokens: readonly number[]): void {
    this.#acks.ack(tokens);
  }

  /**
   * Leaves these messages unacknowledged (refused for capacity): the broker redelivers them on
   * a resumed session, so the connection is cycled `redeliverAfterMs` later (once per burst).
   */
  refuse(tokens: readonly number[]): void {
    // A clean session is not resumed: nothing would come back (the refusals stay counted).
    if (this.#acks.refuse(tokens) === 0 || this.#redeliver || !this.options.persistentSession) return;
    this.#redeliver = setTimeout(() => {
      this.#redeliver = null;
      this.#log('warn', 'reconnecting for the redelivery of refused messages');
      this.#client?.stream?.destroy();
    }, this.options.redeliverAfterMs ?? 5000);
    this.#redeliver.unref();
  }

  status(nowMs = Date.now()): SourceStatus {
    const silence = this.#silence;
    return {
      ...this.#status,
      connected: this.connected,
      packetsLast5m: this.#ring.total(nowMs),
      silent: silence.silent,
      silentSinceMs: silence.silentSinceMs,
      silenceThresholdMs: silence.thresholdMs(),
      resubscribes: silence.resubscribes,
      stallReconnects: silence.reconnects,
      acks: this.#acks.stats(),
      degraded: this.#degraded(),
    };
  }

  /** Why this source is not delivering as it should, or null. */
  #degraded(): string | null {
    if (!this.connected)
      return this.#status.lastError ? `not connected: ${this.#status.lastError}` : 'not connected';
    if (!this.#status.subscribed) return 'not subscribed';
    if (this.#silence.silent) return 'silent';
    return null;
  }

  #receive(topic: string, payload: Buffer, ack: number): void {
    const now = Date.now();
    this.#status.lastPacketMs = now;
    if (this.#silence.silent) this.#log('info', 'delivering again after a silence');
    this.#silence.message(now, this.#ring.total(now) + 1);
    if (payload.length > this.options.maxMessageBytes) {
      this.#status.rejectedTotal++;
      this.#events.onReject?.('oversize', { topic, bytes: payload.length, source: this, ack });
      return;
    }
    this.#status.packetsTotal++;
    this.#ring.add(now);
    try {
      this.#events.onMessage(topic, payload, this, ack);
    } catch (err) {
      // A throwing consumer must not break the MQTT client (style-examples §3).
      this.#log('error', `onMessage failed: ${(err as Error).message}`);
    }
    this.#status.lastHandledMs = Date.now();
  }

  /** Silence: resubscribe, then reconnect; disconnected too long: force mqtt.js's loop. */
  #checkLiveness(): void {
    const client = this.#client;
    if (!client) return;
    const now = Date.now();
    if (client.connected) {
      const action = this.#silence.check(now, this.#subscribedAtMs);
      const quiet = `no message for ${Math.round((now - (this.#status.lastPacketMs ?? now)) / 1000)} s`;
      if (action === 'resubscribe') {
        this.#log('warn', `connected but ${quiet}: resubscribing`);
        this.#subscribe(client);
      } else if (action === 'reconnect') {
        this.#log('warn', `still silent (${quiet}): reconnecting`);
        client.stream?.destroy();
      }
      return;
    }
    const floor = this.#silence.policy.floorMs;
    const downSince = this.#status.lastDisconnectMs ?? this.#status.lastConnectMs ?? now;
    if (now - downSince > floor && now - this.#lastForcedReconnectMs > floor && !client.reconnecting) {
      this.#lastForcedReconnectMs = now;
      this.#log('warn', 'disconnected too long; forcing a reconnect');
      client.reconnect();
    }
  }

  #fail(message: string): void {
    this.#status.lastError = message;
    this.#status.errorsTotal++;
    // A broker that stays down fails every reconnect (2 s apart): log a repeated error once a
    // minute with how often it recurred, not 1,800 lines an hour.
    const now = Date.now();
    const r = this.#repeated;
    if (r && r.message === message && now - r.loggedMs < 60_000) {
      r.count++;
      return;
    }
    const again =
      r && r.message === message && r.count > 0 ? ` (${r.count + 1} times in the last minute)` : '';
    this.#repeated = { message, loggedMs: now, count: 0 };
    this.#log('error', message + again);
  }

  #log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#events.log?.(level, `mqtt source ${this.name}: ${message}`);
  }
}
