// Builders for hand-made analytics stores: terse node/observer/transmission/observation records
// with defaults, fed to `recordsInput` (the reference AnalyticsInput over plain records).
// Field defaults come from test/support/store-builders.ts; these add the scenario's clock (NOW).
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../src/store/records.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import type { AnalyticsInput } from '../../src/analytics/inputs/input.js';
import {
  nodeRecord,
  observationRecord,
  observerRecord,
  transmissionRecord,
} from '../support/store-builders.js';

export const NOW = Date.parse('2026-05-17T12:00:00Z');
export const at = (hhmm: string): number => Date.parse(`2026-05-17T${hhmm}:00Z`);

/** A 64-hex public key starting with `prefix` (lowercase), padded with a fixed filler. */
export function key(prefix: string): string {
  return (prefix.toLowerCase() + '0123456789abcdef'.repeat(4)).slice(0, 64);
}

export function node(prefix: string, o: Partial<NodeRecord> = {}): NodeRecord {
  return nodeRecord(key(prefix), NOW, {
    name: `node-${prefix}`,
    role: 'repeater',
    firstSeenMs: NOW - 86_400_000,
    ...o,
  });
}

export function observer(id: string, iata: string | null, name: string | null = null): ObserverRecord {
  return observerRecord(id, NOW, { name, iata });
}

/**
 * A transmission whose raw frame is `bytes` long: header byte (FLOOD, given payload type), a
 * path-length byte of 0, zero filler. Analytics here read rawLength, not the frame content.
 */
export function tx(
  id: number,
  payloadType: number,
  o: Partial<TransmissionRecord> & { bytes?: number } = {},
): TransmissionRecord {
  const { bytes = 20, ...rest } = o;
  const header = ((payloadType << 2) | 1).toString(16).padStart(2, '0').toUpperCase();
  return transmissionRecord(id, payloadType, header + '00'.repeat(bytes - 1), NOW - 3_600_000, rest);
}

let obsId = 0;
export function sighting(
  transmissionId: number,
  observerId: string,
  path: string[],
  o: Partial<ObservationRecord> = {},
): ObservationRecord {
  return observationRecord(++obsId, transmissionId, observerId, NOW - 3_600_000, { path, ...o });
}

export function store(data: {
  nodes?: NodeRecord[];
  observers?: ObserverRecord[];
  transmissions?: TransmissionRecord[];
  observations?: ObservationRecord[];
}): AnalyticsInput {
  return recordsInput(
    {
      nodes: data.nodes ?? [],
      observers: data.observers ?? [],
      transmissions: data.transmissions ?? [],
      observations: data.observations ?? [],
    },
    NOW,
  );
}
