// Temp-dir SQLite files and record builders for the persistence tests (a copy of the shared
// fixture comes from test/support/fixture.ts: fixtureCopy(tempDir())).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObservationRecord, TransmissionRecord } from '../../../src/store/records.js';

export interface TempDir {
  dir: string;
  path(name: string): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-sqlite-'));
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function tx(id: number, overrides: Partial<TransmissionRecord> = {}): TransmissionRecord {
  return {
    id,
    rawHex: '1500AABBCC' + id.toString(16).padStart(4, '0').toUpperCase(),
    hash: id.toString(16).padStart(16, '0'),
    firstSeenMs: 1_779_000_000_123 + id * 1000,
    lastSeenMs: 1_779_000_000_456 + id * 1000,
    routeType: 1,
    payloadType: 5,
    payloadVersion: 0,
    decodedJson: `{"type":"GRP_TXT","n":${id}}`,
    fromPubkey: null,
    channelHash: 'enc_11',
    scopeName: null,
    ...overrides,
  };
}

export const OBSERVER_A = 'AA'.repeat(32);
export const OBSERVER_B = 'BB'.repeat(32);

export function obs(
  id: number,
  transmissionId: number,
  overrides: Partial<ObservationRecord> = {},
): ObservationRecord {
  return {
    id,
    transmissionId,
    observerId: OBSERVER_A,
    direction: 'rx',
    snr: 7.25,
    rssi: -101,
    score: 1000,
    path: ['A1', 'B2C3'],
    rxMs: 1_779_000_000_789 + id,
    uploaderMs: 1_779_000_000_001 + id,
    ...overrides,
  };
}
