// Scenario configuration: one defaults object per named scale (the bench scales of issue 4), and a
// resolver that merges overrides. Rates are per node per hour so that a scale's traffic grows
// with its node count; durations and intervals carry their unit in the name.

export interface RegionSpec {
  /** IATA code observers in this region publish under (MQTT topic part 1). */
  iata: string;
  lat: number;
  lon: number;
  /** Standard deviation of node positions around the centre, km. */
  spreadKm: number;
  /** Share of the nodes placed in this region (relative weight). */
  weight: number;
  /** Radio string `freq,bw,sf,cr` (spec packet-format §12) used by this region's observers. */
  radio: string;
}

export interface TrafficSpec {
  /** Mean interval between flood adverts, hours, by role. */
  floodAdvertIntervalH: { repeater: number; companion: number; room: number; sensor: number };
  /** Mean interval between zero-hop (local) adverts of repeaters and rooms, hours. */
  zeroHopAdvertIntervalH: number;
  /** Per companion per hour. */
  groupTextPerNodeH: number;
  directMessagePerNodeH: number;
  requestPerNodeH: number;
  anonRequestPerNodeH: number;
  tracePerNodeH: number;
  discoverPerNodeH: number;
}

export interface ScenarioConfig {
  scale: string;
  seed: number;
  /** Simulated wall-clock time of the first event, epoch ms. */
  startMs: number;
  durationMs: number;
  nodeCount: number;
  /** Role weights (repeater, companion, room server, sensor). */
  roleMix: { repeater: number; companion: number; room: number; sensor: number };
  observerCount: number;
  /** Fraction of observers that are repeaters (they relay as well as upload). */
  observerRepeaterFraction: number;
  /** Weights of the firmware path-hash size setting: 1, 2 and 3 bytes per hop (spec §4). */
  hashSizeMix: [number, number, number];
  noGpsFraction: number;
  /** Fraction of GPS-less nodes that advertise exactly (0, 0) instead of omitting the location. */
  zeroGpsFraction: number;
  /** Fraction of repeaters that relay but never advertise. */
  relayOnlyFraction: number;
  /** Number of repeater pairs planted with the same first public-key byte, per region. */
  sharedPrefixPairsPerRegion: number;
  /** Flood hop limit (firmware `flood.max`). */
  floodMaxHops: number;
  // t1:
  /**
   * Keep each heard transmission's best path (the nodes it names) for the ground truth's
   * `bestPaths` (default off: a demo feed runs for ever and would keep them all).
   */
  recordPathTruth?: boolean;
  /** Node clock kinds, relative weights (spec analytics §6). */
  clockMix: { ok: number; offset: number; drift: number; reset: number };
  /** Fraction of observers with a skewed upload clock; some of those send naive ISO times. */
  observerClockSkewFraction: number;
  /** Fraction of observers that buffer uploads (seconds of delay instead of milliseconds). */
  observerSlowUploadFraction: number;
  statusIntervalMs: number;
  /**
   * t3: plant a bridge repeater: the region-0 repeater nearest to region 1 gets links to the three
   * region-1 repeaters nearest to it, so (regions being out of radio range of each other) it is the
   * only connection between the two (World.plantedBridge). Default off.
   */
  plantBridge?: boolean;
  regions: RegionSpec[];
  traffic: TrafficSpec;
}

const HOUR_MS = 3_600_000;

const REGIONS: RegionSpec[] = [
  { iata: 'SEA', lat: 47.61, lon: -122.33, spreadKm: 45, weight: 3, radio: '910.525,62.5,7,5' },
  { iata: 'PDX', lat: 45.52, lon: -122.68, spreadKm: 40, weight: 2, radio: '910.5250244,62.5,7,5' },
  { iata: 'YVR', lat: 49.28, lon: -123.12, spreadKm: 35, weight: 2, radio: '910.525,62.5,7,5' },
  { iata: 'SJC', lat: 37.34, lon: -121.89, spreadKm: 40, weight: 3, radio: '910.525024,62.5,7,5' },
  { iata: 'SMF', lat: 38.58, lon: -121.49, spreadKm: 35, weight: 1, radio: '910.525,62.5,7,8' },
  { iata: 'BOI', lat: 43.61, lon: -116.2, spreadKm: 30, weight: 1, radio: '910.525,62.5,7,7' },
  { iata: 'GEG', lat: 47.66, lon: -117.43, spreadKm: 30, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'EUG', lat: 44.05, lon: -123.09, spreadKm: 35, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'MFR', lat: 42.33, lon: -122.87, spreadKm: 30, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'RDD', lat: 40.59, lon: -122.39, spreadKm: 30, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'RNO', lat: 39.53, lon: -119.81, spreadKm: 30, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'FAT', lat: 36.74, lon: -119.79, spreadKm: 35, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'LAX', lat: 34.05, lon: -118.24, spreadKm: 45, weight: 2, radio: '910.525,62.5,7,5' },
  { iata: 'SAN', lat: 32.72, lon: -117.16, spreadKm: 35, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'SLC', lat: 40.76, lon: -111.89, spreadKm: 35, weight: 1, radio: '910.525,62.5,7,5' },
  { iata: 'PHX', lat: 33.45, lon: -112.07, spreadKm: 40, weight: 1, radio: '910.525,62.5,7,5' },
];

const TRAFFIC: TrafficSpec = {
  floodAdvertIntervalH: { repeater: 12, companion: 8, room: 12, sensor: 6 },
  zeroHopAdvertIntervalH: 4,
  groupTextPerNodeH: 0.5,
  directMessagePerNodeH: 0.2,
  requestPerNodeH: 0.15,
  anonRequestPerNodeH: 0.03,
  tracePerNodeH: 0.02,
  discoverPerNodeH: 0.01,
};

const BASE: Omit<ScenarioConfig, 'scale' | 'nodeCount' | 'observerCount' | 'durationMs' | 'regions'> = {
  seed: 1,
  startMs: Date.UTC(2026, 2, 17, 0, 0, 0),
  roleMix: { repeater: 0.4, companion: 0.48, room: 0.07, sensor: 0.05 },
  observerRepeaterFraction: 0.6,
  hashSizeMix: [0.75, 0.2, 0.05],
  noGpsFraction: 0.15,
  zeroGpsFraction: 0.25,
  relayOnlyFraction: 0.04,
  sharedPrefixPairsPerRegion: 1,
  floodMaxHops: 24,
  clockMix: { ok: 0.6, offset: 0.15, drift: 0.15, reset: 0.1 },
  observerClockSkewFraction: 0.15,
  observerSlowUploadFraction: 0.1,
  statusIntervalMs: 300_000,
  traffic: TRAFFIC,
};

/** Named scales (issue 4 bench scales). Observation counts are approximate; see docs. */
export const PRESETS: Record<string, ScenarioConfig> = {
  fixture: {
    ...BASE,
    scale: 'fixture',
    nodeCount: 60,
    observerCount: 4,
    durationMs: 2 * HOUR_MS,
    regions: REGIONS.slice(0, 1).map((r) => ({ ...r, spreadKm: 15 })),
  },
  small: {
    ...BASE,
    scale: 'small',
    nodeCount: 300,
    observerCount: 12,
    durationMs: 12 * HOUR_MS,
    regions: REGIONS.slice(0, 2),
  },
  staging: {
    ...BASE,
    scale: 'staging',
    nodeCount: 2000,
    observerCount: 42,
    durationMs: 70 * HOUR_MS,
    regions: REGIONS,
  },
  cascadia: {
    ...BASE,
    scale: 'cascadia',
    nodeCount: 2600,
    observerCount: 40,
    durationMs: 56 * HOUR_MS,
    regions: REGIONS,
  },
};

export type ScenarioOverrides = Partial<Omit<ScenarioConfig, 'traffic'>> & { traffic?: Partial<TrafficSpec> };

/** The preset for `scale` with `overrides` applied. Throws on an unknown scale name. */
export function resolveScenario(scale: string, overrides: ScenarioOverrides = {}): ScenarioConfig {
  const base = PRESETS[scale];
  if (!base) throw new RangeError(`unknown simulator scale '${scale}' (${Object.keys(PRESETS).join(', ')})`);
  return {
    ...base,
    ...overrides,
    traffic: { ...base.traffic, ...overrides.traffic },
  };
}
