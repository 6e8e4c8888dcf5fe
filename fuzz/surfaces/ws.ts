// WebSocket surface: client messages to the live feed (/ws): subscribe requests (valid and
// mutated), other JSON, text that is not JSON, binary frames and frames over the 512-byte limit.
// One message at a time per connection: each is answered ({type: subscribed|error}) or the
// server closes the connection (the code is the outcome); broadcast `packet` messages are
// ignored. A client that gets neither within the time bound is a hang.
import WebSocket from 'ws';
import { mutateObject, nastyString, randomJson, randomText } from '../mutate.js';
import type { Rng } from '../rng.js';

export interface WsInput {
  data: Buffer;
  binary: boolean;
}

export function wsInput(rng: Rng): WsInput {
  const base = { type: 'subscribe', regions: ['SEA', 'PDX'], types: [4, 'GRP_TXT'] };
  const text = (v: unknown) => ({
    data: Buffer.from(typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null')),
    binary: false,
  });
  switch (
    rng.weighted([
      [3, 'valid'],
      [5, 'mutated'],
      [2, 'json'],
      [1, 'text'],
      [1, 'binary'],
      [1, 'big'],
    ] as const)
  ) {
    case 'valid':
      return text(base);
    case 'mutated':
      return text(mutateObject(rng, base));
    case 'json':
      return text(randomJson(rng, 3));
    case 'text':
      return text(rng.chance(0.5) ? randomText(rng, rng.int(100)) : nastyString(rng));
    case 'binary':
      return { data: rng.bytes(rng.int(100)), binary: true };
    default:
      return text({ ...base, regions: Array.from({ length: 40 + rng.int(200) }, (_, i) => `R${i}`) });
  }
}

export type WsOutcome = 'reply:subscribed' | 'reply:error' | `closed:${number}` | 'hang';

/** A connection that sends one message and waits for its answer. */
export class WsClient {
  #ws: WebSocket | null = null;
  #waiter: ((o: WsOutcome) => void) | null = null;

  constructor(private readonly url: string) {}

  async #connect(): Promise<WebSocket> {
    const ws = new WebSocket(this.url);
    ws.on('message', (data) => {
      let type = '';
      try {
        type = String((JSON.parse(String(data)) as { type?: unknown }).type);
      } catch {
        type = '';
      }
      if (type === 'subscribed' || type === 'error') this.#settle(`reply:${type}`);
    });
    ws.on('close', (code) => {
      if (this.#ws === ws) this.#ws = null;
      this.#settle(`closed:${code}`);
    });
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    this.#ws = ws;
    return ws;
  }

  #settle(o: WsOutcome): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.(o);
  }

  async send(input: WsInput, timeoutMs: number): Promise<WsOutcome> {
    const ws = this.#ws ?? (await this.#connect());
    return new Promise<WsOutcome>((resolve) => {
      const timer = setTimeout(() => this.#settle('hang'), timeoutMs);
      this.#waiter = (o) => {
        clearTimeout(timer);
        resolve(o);
      };
      ws.send(input.data, { binary: input.binary });
    });
  }

  close(): void {
    this.#ws?.terminate();
    this.#ws = null;
  }
}
