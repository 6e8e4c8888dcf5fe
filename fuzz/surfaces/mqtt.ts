// MQTT surface: observer messages published to the embedded broker with a real client, so they
// take the whole path (aedes -> the ingest worker's MqttSource and parser -> the main thread's
// queue -> the pipeline). Topics stay under `meshcore/` (what the source subscribes to; other
// topics never reach meshlens, and the direct surface covers any topic text) and lose the
// characters MQTT forbids in a published topic.
import mqtt, { type MqttClient } from 'mqtt';
import type { ObserverInput } from './observer.js';

/** The topic as the broker will deliver it: a publishable name under meshcore/. */
export function publishableTopic(t: string): string {
  let s = t.replace(/[+#\u0000]/g, '_');
  if (!s.startsWith('meshcore/')) s = `meshcore/${s}`;
  // Lone surrogates do not survive UTF-8: predict with what the broker will deliver.
  s = Buffer.from(s, 'utf8').toString('utf8');
  return s.length > 4000 ? s.slice(0, 4000) : s;
}

export class MqttPublisher {
  private constructor(private readonly client: MqttClient) {}

  static async connect(url: string): Promise<MqttPublisher> {
    return new MqttPublisher(await mqtt.connectAsync(url, { clientId: `fuzz-${process.pid}-${Date.now()}` }));
  }

  publish(input: ObserverInput): Promise<unknown> {
    return this.client.publishAsync(input.topic, input.payload, { qos: 0 });
  }

  end(): Promise<void> {
    return this.client.endAsync();
  }
}
