// Demo mode's traffic (issue 4 item 3): a simulated mesh publishing live to a broker, so that a
// new user sees packets, nodes and analytics within seconds. The simulation runs in real time
// starting now (every uploader timestamp and advert clock is honest, so the clock-skew analytics
// find only the planted skews), and reaches the requested message rate by scaling the
// `small` preset's traffic up, not by compressing time. It runs until stopped.
import mqtt, { type MqttClient } from 'mqtt';
import { resolveScenario, type ScenarioConfig, type TrafficSpec } from './config.js';
import type { SimMessage } from './messages.js';
import { Simulator } from './simulator.js';

export interface DemoFeedOptions {
  brokerUrl: string;
  username?: string;
  password?: string;
  seed?: number;
  /** Target messages per second, on average (default 20). Floods arrive in bursts. */
  ratePerSec?: number;
  /** Simulator preset to scale (default 'small'). */
  scale?: string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface DemoFeedStats {
  published: number;
  /** Messages skipped because the broker was not connected when they fell due. */
  skipped: number;
  connected: boolean;
  /** How much the preset's traffic was multiplied to reach the rate. */
  trafficScale: number;
  /** Wall-clock time publishing started (the simulation began WARMUP_MS earlier). */
  startedAtMs: number;
}

export interface DemoFeed {
  /** Stops publishing and disconnects; safe to call repeatedly. */
  stop(): Promise<void>;
  stats(): DemoFeedStats;
}

const HOUR_MS = 3_600_000;
/** Simulated time used to measure the preset's natural message rate. */
const CALIBRATION_MS = 2 * HOUR_MS;
const TICK_MS = 25;
/** Simulated lead-in whose messages are dropped, so publishing starts with traffic in flight. */
export const WARMUP_MS = 120_000;

/** The preset's traffic with every rate multiplied (and every interval divided) by `k`. */
export function scaleTraffic(t: TrafficSpec, k: number): TrafficSpec {
  const f = t.floodAdvertIntervalH;
  return {
    floodAdvertIntervalH: {
      repeater: f.repeater / k,
      companion: f.companion / k,
      room: f.room / k,
      sensor: f.sensor / k,
    },
    zeroHopAdvertIntervalH: t.zeroHopAdvertIntervalH / k,
    groupTextPerNodeH: t.groupTextPerNodeH * k,
    directMessagePerNodeH: t.directMessagePerNodeH * k,
    requestPerNodeH: t.requestPerNodeH * k,
    anonRequestPerNodeH: t.anonRequestPerNodeH * k,
    tracePerNodeH: t.tracePerNodeH * k,
    discoverPerNodeH: t.discoverPerNodeH * k,
  };
}

/**
 * The demo scenario: `scale`'s world, starting at `startMs`, lasting a year, with its traffic
 * scaled so that the stream averages about `ratePerSec` messages per second. Status heartbeats
 * are not scaled (they are per observer, and few).
 */
export function demoScenario(
  scale: string,
  seed: number,
  ratePerSec: number,
  startMs: number,
): ScenarioConfig {
  const base = resolveScenario(scale, { seed, durationMs: CALIBRATION_MS });
  const probe = new Simulator(base);
  let packets = 0;
  let statuses = 0;
  for (let m = probe.next(); m; m = probe.next()) {
    if (m.kind === 'packet') packets++;
    else statuses++;
  }
  const seconds = CALIBRATION_MS / 1000;
  const packetRate = Math.max(1e-6, packets / seconds);
  const k = Math.max(0.01, (ratePerSec - statuses / seconds) / packetRate);
  return { ...base, startMs, durationMs: 365 * 24 * HOUR_MS, traffic: scaleTraffic(base.traffic, k) };
}

/** Starts publishing at once (connecting in the background, retrying) and returns a handle. */
export function startDemoFeed(options: DemoFeedOptions): DemoFeed {
  const log = options.log ?? (() => undefined);
  const ratePerSec = options.ratePerSec ?? 20;
  if (!(ratePerSec > 0)) throw new RangeError(`demo rate must be positive, got ${ratePerSec}`);
  const scale = options.scale ?? 'small';
  const base = resolveScenario(scale);
  const calibrated = demoScenario(scale, options.seed ?? 1, ratePerSec, 0);
  const trafficScale = calibrated.traffic.groupTextPerNodeH / base.traffic.groupTextPerNodeH;
  const startedAtMs = Date.now();
  const sim = new Simulator({ ...calibrated, startMs: startedAtMs - WARMUP_MS });
  let pending: SimMessage | null = sim.next();
  while (pending && pending.rxMs < startedAtMs) pending = sim.next();
  const stats = { published: 0, skipped: 0 };

  const client: MqttClient = mqtt.connect(options.brokerUrl, {
    username: options.username,
    password: options.password,
    clientId: `meshlens-demo-${process.pid}-${startedAtMs % 100_000}`,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  let warned = false;
  client.on('connect', () => {
    warned = false;
    log('info', `demo feed: publishing simulated traffic (~${ratePerSec}/s) to ${options.brokerUrl}`);
  });
  client.on('error', (err) => {
    if (!warned) log('warn', `demo feed: broker error: ${err.message}`);
    warned = true;
  });

  // Messages are released when their simulated broker-arrival time comes round on the wall clock.
  const tick = (): void => {
    const now = Date.now();
    while (pending && pending.rxMs <= now) {
      if (client.connected) {
        client.publish(pending.topic, JSON.stringify(pending.payload), { qos: 0 });
        stats.published++;
      } else stats.skipped++;
      pending = sim.next();
    }
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();

  let stopping: Promise<void> | null = null;
  return {
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await client.endAsync(true);
      })()),
    stats: () => ({ ...stats, connected: client.connected, trafficScale, startedAtMs }),
  };
}
