// PUBACKs held until the commit, without holding the stream (issue 13, defect #2). mqtt.js 5
// (pinned 5.16.0) hands a QoS 1 PUBLISH to handleMessage(packet, cb) and, in cb, sends the
// PUBACK and only then lets its parser take the next packet: holding cb until the commit would
// process one message per commit round trip. Instead the client's `_sendPacket` is wrapped:
// a PUBACK for a deferred message id completes at once (the stream goes on) and is sent for
// real when ack(token) comes. Pending acks of a connection that closed are dropped: the broker
// redelivers those messages on the resumed session (the id may be reused by then).
import type { MqttClient } from 'mqtt';

type SendPacket = (
  packet: { cmd: string; messageId?: number },
  cb?: (err?: Error) => void,
  ...rest: unknown[]
) => void;

export interface DeferredAcksStats {
  /** Held, waiting for ack(token). */
  pending: number;
  /** PUBACKs sent after the commit. */
  sent: number;
  /** Held acks whose connection closed first (the broker redelivers those messages). */
  dropped: number;
  /** Messages refused by the consumer (capacity), left unacknowledged. */
  refused: number;
}

export class DeferredAcks {
  /** Message ids whose PUBACK mqtt.js is about to send and must not. */
  readonly #deferIds = new Set<number>();
  /** token -> message id, for the current connection. */
  #pending = new Map<number, number>();
  #nextToken = 1;
  #send: SendPacket | null = null;
  #client: MqttClient | null = null;
  readonly #s = { sent: 0, dropped: 0, refused: 0 };

  /** Wraps the client's packet sender; call once, before it connects. */
  attach(client: MqttClient): void {
    const c = client as unknown as { _sendPacket: SendPacket };
    const original = c._sendPacket.bind(client);
    this.#send = original;
    this.#client = client;
    c._sendPacket = (packet, cb, ...rest) => {
      if (
        packet.cmd === 'puback' &&
        packet.messageId !== undefined &&
        this.#deferIds.delete(packet.messageId)
      ) {
        cb?.();
        return;
      }
      original(packet, cb, ...rest);
    };
    client.on('close', () => this.#connectionClosed());
  }

  /** Called from the 'message' event of a QoS 1 packet: its PUBACK waits; returns the token. */
  defer(messageId: number): number {
    const token = this.#nextToken++;
    this.#deferIds.add(messageId);
    this.#pending.set(token, messageId);
    return token;
  }

  /** Sends the PUBACKs of these tokens (those of the current connection). */
  ack(tokens: readonly number[]): void {
    const connected = this.#client?.connected ?? false;
    for (const token of tokens) {
      const messageId = this.#pending.get(token);
      if (messageId === undefined) continue;
      this.#pending.delete(token);
      if (!connected) {
        this.#s.dropped++;
        continue;
      }
      this.#send!({ cmd: 'puback', messageId });
      this.#s.sent++;
    }
  }

  /** Forgets these tokens without acknowledging: the broker redelivers after a reconnect. */
  refuse(tokens: readonly number[]): number {
    let n = 0;
    for (const token of tokens) if (this.#pending.delete(token)) n++;
    this.#s.refused += n;
    return n;
  }

  stats(): DeferredAcksStats {
    return { ...this.#s, pending: this.#pending.size };
  }

  #connectionClosed(): void {
    this.#s.dropped += this.#pending.size;
    this.#pending = new Map();
    this.#deferIds.clear();
  }
}
