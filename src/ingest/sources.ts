// Which brokers to subscribe to (spec ingest-store-api §1.5 fallbacks, plus the embedded broker).
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { defaultTopic } from '../config/load.js';
import type { MeshlensConfig } from '../config/types.js';
import type { MqttSourceOptions } from './mqtt-source.js';

/**
 * Configured `mqttSources` (MQTT_BROKER has already replaced them at config load), else the
 * legacy `mqtt` block as source `default` (its topic always joined by meshcore/#), else
 * CoreScope's mqtt://localhost:1883 fallback. When the embedded broker runs it is always
 * subscribed too, as source `embedded`: a broker that meshlens started but did not read
 * would silently swallow what observers publish to it.
 */
export function resolveSources(
  config: Readonly<MeshlensConfig>,
  embeddedUrl: string | null,
  /** The embedded broker's generated account, used when broker.username is not set (issue 13 #5). */
  embeddedAuth?: { username: string; password: string },
): MqttSourceOptions[] {
  const common = { maxMessageBytes: config.maxMessageBytes };
  const sources: MqttSourceOptions[] = config.mqttSources.map((s) => ({
    ...common,
    name: s.name,
    url: s.broker,
    topics: s.topics ?? [defaultTopic],
    ...(s.username !== undefined ? { username: s.username } : {}),
    ...(s.password !== undefined ? { password: s.password } : {}),
    ...(s.rejectUnauthorized !== undefined ? { rejectUnauthorized: s.rejectUnauthorized } : {}),
    ...(s.iataFilter !== undefined ? { iataFilter: s.iataFilter } : {}),
    ...(s.region !== undefined ? { region: s.region } : {}),
    ...(s.connectTimeoutSec !== undefined ? { connectTimeoutSec: s.connectTimeoutSec } : {}),
  }));
  if (sources.length === 0 && config.mqtt?.broker) {
    const topics = [...new Set([config.mqtt.topic ?? defaultTopic, defaultTopic])];
    sources.push({ ...common, name: 'default', url: config.mqtt.broker, topics });
  }
  if (embeddedUrl !== null) {
    const { username, password } = config.broker;
    const auth = username !== undefined && password !== undefined ? { username, password } : embeddedAuth;
    sources.push({
      ...common,
      name: 'embedded',
      url: embeddedUrl,
      topics: [defaultTopic],
      ...(auth ? { username: auth.username, password: auth.password } : {}),
    });
  } else if (sources.length === 0) {
    sources.push({ ...common, name: 'default', url: 'mqtt://localhost:1883', topics: [defaultTopic] });
  }
  return sources;
}

/**
 * Delivery options of resolved sources (config `mqttIngest` and the per-source overrides):
 * QoS 1 acknowledged after the commit, a persistent session under a client id stable across
 * restarts (derived from the source name, the host name and the database path), reconnect and
 * silence policy.
 */
export function withDelivery(
  config: Readonly<MeshlensConfig>,
  sources: readonly MqttSourceOptions[],
): MqttSourceOptions[] {
  const m = config.mqttIngest;
  // One install = one database on one host: they name the broker sessions, so a restart resumes
  // them, and two installs with the same path (containers) on one broker do not take each
  // other's session. A container re-created under a new hostname starts a new session: set
  // `clientId` (or a fixed hostname) there.
  const install = createHash('sha256')
    .update(`${hostname()}\0${resolve(config.dbPath)}`)
    .digest('hex')
    .slice(0, 12);
  const perSource = new Map(config.mqttSources.map((s) => [s.name, s]));
  return sources.map((o) => {
    const s = perSource.get(o.name);
    return {
      ...o,
      qos: s?.qos ?? m.qos,
      persistentSession: s?.persistentSession ?? m.persistentSession,
      clientId: s?.clientId ?? `meshlens-${o.name.replace(/[^A-Za-z0-9_-]/g, '_')}-${install}`,
      deferAcks: true,
      maxReconnectDelayMs: m.maxReconnectDelayMs,
      silenceFloorMs: m.silenceFloorSec * 1000,
      silenceFactor: m.silenceFactor,
      redeliverAfterMs: m.redeliverAfterSec * 1000,
    };
  });
}
