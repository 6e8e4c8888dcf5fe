// AnalyticsInput over the shared-memory store (design.md "The one hard problem"): every
// accessor reads the StoreView's SharedArrayBuffer columns in place, so a worker computes on
// the owner's memory without copying it. `records-input.ts` is the oracle it must agree with.
//
// One StoreInput lives as long as its worker; `snapshot()` freezes row counts for one compute.
// Derived per-row values that cost a parse (a GRP transmission's channel byte from its
// decoded_json) are cached across snapshots: transmission rows are append-only and their
// frame and decoded_json never change, so a cached value stays right.
import {
  chunkOf,
  chunkSpans,
  fromQuarter,
  hashText,
  I16_NULL,
  NONE,
  slotOf,
  type StoreView,
} from '../../store/memory/reader.js';
import { hopCodeAt } from '../shared/hop-code.js';
import {
  QUARTER_NULL,
  type AnalyticsInput,
  type NodeTable,
  type ObsColumns,
  type ObsSpan,
  type ObserverTable,
  type TxColumns,
} from './input.js';

// The spans hand out the quarter-unit columns as stored, so both codes must mean "missing".
if (I16_NULL !== QUARTER_NULL) throw new Error('store I16_NULL differs from analytics QUARTER_NULL');

const HEXCHARS = '0123456789ABCDEF';
const HEX2: string[] = Array.from({ length: 256 }, (_, v) => HEXCHARS[v >>> 4] + HEXCHARS[v & 15]);
const GRP_TXT = 5;
const GRP_DATA = 6;
/** Channel byte cache: not computed yet / not a group message. */
const CHAN_UNKNOWN = -2;

// Chunk addressing: loops here use chunkOf / slotOf (layout.ts), but the per-row accessor
// closures handed to the compute functions spell `r >>> shift` / `r & mask` out on purpose.
// The hottest of them (txRow, observer, rxMs, hopSize, hopCount) are 27 bytes of bytecode,
// exactly V8's limit for always inlining a function into its caller
// (--max-inlined-bytecode-size-small); two calls would make them ~47 and leave their inlining
// to the per-function budget. Shift and mask stay hoisted per table, as before.

/** Hop strings are interned per (size, value) so a scan over millions of hops allocates none. */
class HopStrings {
  private readonly two: (string | undefined)[] = new Array(65536);
  private readonly three = new Map<number, string>();

  get(bytes: Uint8Array, at: number, size: number): string {
    if (size === 1) return HEX2[bytes[at]];
    if (size === 2) {
      const v = (bytes[at] << 8) | bytes[at + 1];
      return (this.two[v] ??= HEX2[bytes[at]] + HEX2[bytes[at + 1]]);
    }
    const v = (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
    let s = this.three.get(v);
    if (s === undefined) {
      s = HEX2[bytes[at]] + HEX2[bytes[at + 1]] + HEX2[bytes[at + 2]];
      // Bounded: at most 2^24 distinct 3-byte hops exist; real meshes use a few thousand.
      if (this.three.size < 1 << 20) this.three.set(v, s);
    }
    return s;
  }
}

export interface SnapshotCounts {
  tx: number;
  obs: number;
  nodes: number;
  observers: number;
}

export class StoreInput {
  readonly view: StoreView;
  private readonly hops = new HopStrings();
  private chanByte = new Int16Array(0);

  constructor(view: StoreView) {
    this.view = view;
  }

  /**
   * Refresh the view and return an input over the rows committed now. The observation count
   * is loaded *before* the view's refresh loads the transmission count, so every observation
   * below it references a transmission below the transmission count (appends commit the
   * transmission first); likewise nodes and observers are loaded after what references them.
   */
  snapshot(nowMs: number): AnalyticsInput & { counts: SnapshotCounts } {
    const v = this.view;
    const obsCommitted = v.obs.committedRows();
    const c = v.refresh();
    const counts: SnapshotCounts = {
      tx: c.tx,
      obs: Math.min(obsCommitted, c.obs),
      nodes: c.nodes,
      observers: c.observers,
    };
    this.growChannelCache(counts.tx);
    const nodes = this.nodeTable(counts.nodes);
    return {
      nowMs,
      counts,
      tx: this.txColumns(counts.tx, nodes.indexOfRow, counts.obs),
      obs: this.obsColumns(counts.obs),
      nodes: nodes.table,
      observers: this.observerTable(counts.observers),
    };
  }

  private growChannelCache(rows: number): void {
    if (this.chanByte.length >= rows) return;
    const next = new Int16Array(Math.max(rows, this.chanByte.length * 2, 1024)).fill(CHAN_UNKNOWN);
    next.set(this.chanByte);
    this.chanByte = next;
  }

  private txColumns(count: number, nodeIndexOfRow: Int32Array, obsCount: number): TxColumns {
    const v = this.view;
    const t = v.tx.cols;
    const shift = v.tx.shift;
    const mask = v.tx.mask;
    const raw = v.raw;
    const rawShift = raw.shift;
    const rawMask = raw.mask;
    const rawViews = raw.chunkViews;
    const pathByte = (r: number): number => {
      const c = r >>> shift;
      const i = r & mask;
      const rt = t.routeType[c][i];
      // Path-length byte: offset 1, or 5 after the transport codes (spec packet-format §4).
      const at = rt === 0 || rt === 3 ? 5 : 1;
      if (t.rawLen[c][i] <= at) return 0;
      const off = t.rawOff[c][i] + at;
      return rawViews[off >>> rawShift][off & rawMask];
    };
    const chan = (r: number): number => {
      let b = this.chanByte[r];
      if (b === CHAN_UNKNOWN) {
        b = -1;
        const pt = t.payloadType[r >>> shift][r & mask];
        if (pt === GRP_TXT || pt === GRP_DATA) {
          try {
            const h = (JSON.parse(v.txDecodedJson(r)) as { channelHash?: unknown }).channelHash;
            if (typeof h === 'number') b = h;
          } catch {
            // decoded_json is ingest's own text; an unparseable one simply has no channel byte
          }
        }
        this.chanByte[r] = b;
      }
      return b;
    };
    const channels = v.interns.channels;
    const names = v.interns.names;
    return {
      count,
      id: (r) => t.id[r >>> shift][r & mask],
      hash: (r) => hashText(t.hashHi[r >>> shift][r & mask], t.hashLo[r >>> shift][r & mask]),
      firstSeenMs: (r) => t.firstSeenMs[r >>> shift][r & mask],
      routeType: (r) => t.routeType[r >>> shift][r & mask],
      payloadType: (r) => t.payloadType[r >>> shift][r & mask],
      rawLength: (r) => t.rawLen[r >>> shift][r & mask],
      pathHashSize: (r) => (pathByte(r) >> 6) + 1,
      pathHashCount: (r) => pathByte(r) & 0x3f,
      advertNode: (r) => {
        const n = t.fromNode[r >>> shift][r & mask];
        return n === NONE || n >= nodeIndexOfRow.length ? -1 : nodeIndexOfRow[n];
      },
      advertTimestampSec: (r) => {
        const ts = t.advertTs[r >>> shift][r & mask];
        return ts === 0 ? NaN : ts;
      },
      channelHashByte: chan,
      channelName: (r) => {
        const s = channels.get(t.channel[r >>> shift][r & mask]);
        return s === null || s.startsWith('enc_') ? null : s;
      },
      decodedJson: (r) => v.txDecodedJson(r),
      // t3: interned scope name (NONE = null: unscoped).
      scopeName: (r) => names.get(t.scope[r >>> shift][r & mask]),
      firstObs: (r) => {
        const o = t.firstObs[r >>> shift][r & mask];
        return o === NONE || o >= obsCount ? -1 : o;
      },
    };
  }

  private obsColumns(count: number): ObsColumns {
    const v = this.view;
    const o = v.obs.cols;
    const shift = v.obs.shift;
    const mask = v.obs.mask;
    const heap = v.path;
    const hShift = heap.shift;
    const hMask = heap.mask;
    const hViews = heap.chunkViews;
    const hops = this.hops;
    // Column chunk lists are captured once (tables push new chunks into the same arrays): a hot
    // accessor then does two indexed loads and no property lookup.
    const { txRow, observer, rxMs, uploaderDeltaMs, snr, rssi, hopSize, hopCount, pathOff } = o;
    const next = o.nextOfTx;
    let spans: ObsSpan[] | undefined;
    return {
      count,
      spans: () =>
        (spans ??= chunkSpans(v.obs.chunkRows, count).map(({ chunk, base, length }) => ({
          start: base,
          end: base + length,
          txRow: txRow[chunk],
          observer: observer[chunk],
          rxMs: rxMs[chunk],
          uploaderDeltaMs: uploaderDeltaMs[chunk],
          snrQ: snr[chunk],
          rssiQ: rssi[chunk],
          hopCount: hopCount[chunk],
        }))),
      txRow: (r) => txRow[r >>> shift][r & mask],
      // t4
      id: (r) => o.id[r >>> shift][r & mask],
      observer: (r) => observer[r >>> shift][r & mask],
      rxMs: (r) => rxMs[r >>> shift][r & mask],
      uploaderMs: (r) => rxMs[r >>> shift][r & mask] + uploaderDeltaMs[r >>> shift][r & mask],
      snr: (r) => fromQuarter(snr[r >>> shift][r & mask]) ?? NaN,
      rssi: (r) => fromQuarter(rssi[r >>> shift][r & mask]) ?? NaN,
      hopSize: (r) => hopSize[r >>> shift][r & mask],
      hopCount: (r) => hopCount[r >>> shift][r & mask],
      hop: (r, k) => {
        const c = r >>> shift;
        const i = r & mask;
        const size = hopSize[c][i];
        const off = pathOff[c][i] + k * size;
        return hops.get(hViews[off >>> hShift], off & hMask, size);
      },
      hopCode: (r, k) => {
        const c = r >>> shift;
        const i = r & mask;
        const size = hopSize[c][i];
        const off = pathOff[c][i] + k * size;
        return hopCodeAt(hViews[off >>> hShift], off & hMask, size);
      },
      // A list never links into an unpublished row: stop at the snapshot's count (view.ts).
      nextOfTx: (r) => {
        const n = next[r >>> shift][r & mask];
        return n === NONE || n >= count ? -1 : n;
      },
    };
  }

  /** Nodes with a stored record, in row order; `indexOfRow` maps a store row to its index (-1 = none). */
  private nodeTable(rows: number): { table: NodeTable; indexOfRow: Int32Array } {
    const v = this.view;
    const n = v.nodes.cols;
    const shift = v.nodes.shift;
    const mask = v.nodes.mask;
    const indexOfRow = new Int32Array(rows).fill(-1);
    const rowOf: number[] = [];
    for (let r = 0; r < rows; r++) {
      if (n.present[chunkOf(r, shift)][slotOf(r, mask)] === 1) {
        indexOfRow[r] = rowOf.length;
        rowOf.push(r);
      }
    }
    const at = Int32Array.from(rowOf);
    const f64 = (col: Float64Array[], i: number) => col[at[i] >>> shift][at[i] & mask];
    return {
      indexOfRow,
      table: {
        count: at.length,
        publicKey: (i) => v.nodePubkey(at[i])!,
        name: (i) => v.nodeName(at[i]),
        role: (i) => v.nodeRole(at[i]),
        lat: (i) => f64(n.lat, i),
        lon: (i) => f64(n.lon, i),
        advertCount: (i) => n.advertCount[at[i] >>> shift][at[i] & mask],
        firstSeenMs: (i) => f64(n.firstSeenMs, i),
        lastSeenMs: (i) => f64(n.lastSeenMs, i),
      },
    };
  }

  private observerTable(count: number): ObserverTable {
    const v = this.view;
    return {
      count,
      id: (i) => v.observerId(i) ?? '',
      name: (i) => v.observerName(i),
      iata: (i) => v.observerIata(i),
    };
  }
}
