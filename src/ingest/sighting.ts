// One observer's sighting of one frame: the single shape a packet message has from the MQTT
// parse (observer-message.ts, in the ingest worker) through the thread hand-off (ingest-protocol.ts)
// to the pipeline (pipeline.ts, whose PacketInput it is; POST /api/packets builds one too).
import { flatCodec } from '../util/flat-codec.js';

export interface Sighting {
  /** Uppercase hex observer id (the topic's pubkey, or POST's `observer`). */
  observerId: string;
  /** The frame as uppercase hex (even length, 2..255 bytes). */
  rawHex: string;
  snr: number | null;
  rssi: number | null;
  score: number | null;
  direction: string | null;
  /** Observer display name (`origin`). */
  origin: string | null;
  /** Effective region (payload > topic > source), uppercase; '' when none. */
  region: string;
  /** Server receive time (ms). */
  rxMs: number;
  /** The uploader's accepted timestamp (ms), kept separately (spec §1.8). */
  uploaderMs: number | null;
  /**
   * The signed offset (ms, uploader minus server time) of a naive envelope timestamp more than
   * 15 min off (spec analytics §6.7): a naive-clock event to record on the observer. Absent or
   * null otherwise (zone-aware, within tolerance, rejected, or no timestamp).
   */
  naiveSkewMs?: number | null;
  /** MQTT source name or 'api'. */
  source: string;
  /** An ADVERT's signature verdict computed upstream (the ingest worker); absent: verify here. */
  advertSignatureValid?: boolean;
  topic?: string;
  /** Issue 13 #7: stated radio values dropped as out of range (radio-ranges.ts RADIO_DROP_BIT); absent: none. */
  radioDropped?: number;
}

/**
 * A sighting as it crosses from the ingest worker to the main thread: every field but `source`,
 * which travels as the source's index (the main thread maps it back to the name).
 */
export const sightingCodec = flatCodec<Omit<Sighting, 'source'>>(
  {
    observerId: 0,
    rawHex: 0,
    snr: 0,
    rssi: 0,
    score: 0,
    direction: 0,
    origin: 0,
    region: 0,
    rxMs: 0,
    uploaderMs: 0,
    naiveSkewMs: 0,
    advertSignatureValid: 0,
    topic: 0,
    radioDropped: 0,
  },
  { naiveSkewMs: 0, advertSignatureValid: 0, topic: 0, radioDropped: 0 },
);
