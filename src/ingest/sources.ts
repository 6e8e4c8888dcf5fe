// Which brokers to subscribe to (spec ingest-store-api §1.5 fallbacks, plus the embedded broker).
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
