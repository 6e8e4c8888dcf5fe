// CoreScope's current SQLite schema (spec ingest-store-api §2.2, §2.3) plus meshlens's own
// columns, described once as data so that the same description both creates a missing table
// and adds the columns an older database lacks (§2.4: additive "ensure" steps).
//
// meshlens's own columns carry the `ml_` prefix so they can never collide with a column
// CoreScope adds later; CoreScope's columns keep CoreScope's formats (epoch seconds, RFC3339).

export interface ColumnSpec {
  name: string;
  /** Type and constraints as written in CREATE TABLE. */
  decl: string;
  /**
   * What ALTER TABLE ADD COLUMN can use when the column is missing (SQLite cannot add a
   * PRIMARY KEY/UNIQUE column, and NOT NULL needs a constant default). Defaults to `decl`.
   */
  addDecl?: string;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  /** Table constraints appended to CREATE TABLE (composite keys, UNIQUE). */
  constraints?: string[];
}

const col = (name: string, decl: string, addDecl?: string): ColumnSpec => ({ name, decl, addDecl });

export const TABLES: TableSpec[] = [
  {
    name: 'transmissions',
    columns: [
      col('id', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
      col('raw_hex', 'TEXT NOT NULL'),
      col('hash', 'TEXT NOT NULL UNIQUE'),
      col('first_seen', 'TEXT NOT NULL'),
      col('route_type', 'INTEGER'),
      col('payload_type', 'INTEGER'),
      col('payload_version', 'INTEGER'),
      col('decoded_json', 'TEXT'),
      col('created_at', "TEXT DEFAULT (datetime('now'))"),
      col('channel_hash', 'TEXT DEFAULT NULL'),
      col('from_pubkey', 'TEXT'),
      col('last_seen', 'INTEGER NOT NULL DEFAULT 0'),
      col('scope_name', 'TEXT'),
      // meshlens: last observation time in ms (CoreScope's last_seen is whole seconds).
      col('ml_last_seen_ms', 'INTEGER'),
    ],
  },
  {
    name: 'observations',
    columns: [
      col('id', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
      col('transmission_id', 'INTEGER NOT NULL REFERENCES transmissions(id)'),
      col('observer_idx', 'INTEGER'),
      col('direction', 'TEXT'),
      col('snr', 'REAL'),
      col('rssi', 'REAL'),
      col('score', 'INTEGER'),
      col('path_json', 'TEXT'),
      col('timestamp', 'INTEGER NOT NULL'),
      col('resolved_path', 'TEXT'),
      col('raw_hex', 'TEXT'),
      // meshlens: server receive time and the uploader's own timestamp, both in ms (§1.8).
      col('ml_rx_ms', 'INTEGER'),
      col('ml_uploader_ms', 'INTEGER'),
    ],
  },
  ...['nodes', 'inactive_nodes'].map((name): TableSpec => ({
    name,
    columns: [
      col('public_key', 'TEXT PRIMARY KEY'),
      col('name', 'TEXT'),
      col('role', 'TEXT'),
      col('lat', 'REAL'),
      col('lon', 'REAL'),
      col('last_seen', 'TEXT'),
      col('first_seen', 'TEXT'),
      col('advert_count', 'INTEGER DEFAULT 0'),
      col('battery_mv', 'INTEGER'),
      col('temperature_c', 'REAL'),
      col('foreign_advert', 'INTEGER DEFAULT 0'),
      col('default_scope', 'TEXT'),
      col('multibyte_sup', 'INTEGER NOT NULL DEFAULT 0'),
      col('multibyte_evidence', 'TEXT'),
    ],
  })),
  {
    name: 'observers',
    columns: [
      col('id', 'TEXT PRIMARY KEY'),
      col('name', 'TEXT'),
      col('iata', 'TEXT'),
      col('last_seen', 'TEXT'),
      col('first_seen', 'TEXT'),
      col('packet_count', 'INTEGER DEFAULT 0'),
      col('model', 'TEXT'),
      col('firmware', 'TEXT'),
      col('client_version', 'TEXT'),
      col('radio', 'TEXT'),
      col('battery_mv', 'INTEGER'),
      col('uptime_secs', 'INTEGER'),
      col('noise_floor', 'REAL'),
      col('inactive', 'INTEGER DEFAULT 0'),
      col('last_packet_at', 'TEXT'),
      col('clock_skew_seconds', 'INTEGER'),
      col('clock_skew_count_24h', 'INTEGER DEFAULT 0'),
      col('clock_last_naive_at', 'TEXT'),
      col('can_relay', 'INTEGER DEFAULT 1'),
      col('can_relay_seen', 'INTEGER DEFAULT 0'),
    ],
  },
  {
    name: 'observer_metrics',
    columns: [
      col('observer_id', 'TEXT NOT NULL', "TEXT NOT NULL DEFAULT ''"),
      col('timestamp', 'TEXT NOT NULL', "TEXT NOT NULL DEFAULT ''"),
      col('noise_floor', 'REAL'),
      col('tx_air_secs', 'INTEGER'),
      col('rx_air_secs', 'INTEGER'),
      col('recv_errors', 'INTEGER'),
      col('battery_mv', 'INTEGER'),
      col('packets_sent', 'INTEGER'),
      col('packets_recv', 'INTEGER'),
      // meshlens: the status's uptime (s), so a reboot shows as uptime going backwards.
      col('ml_uptime_secs', 'INTEGER'),
    ],
    constraints: ['PRIMARY KEY (observer_id, timestamp)'],
  },
  {
    name: 'dropped_packets',
    columns: [
      col('id', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
      col('hash', 'TEXT'),
      col('raw_hex', 'TEXT'),
      col('reason', 'TEXT NOT NULL', "TEXT NOT NULL DEFAULT ''"),
      col('observer_id', 'TEXT'),
      col('observer_name', 'TEXT'),
      col('node_pubkey', 'TEXT'),
      col('node_name', 'TEXT'),
      col('dropped_at', 'DATETIME DEFAULT CURRENT_TIMESTAMP', 'DATETIME'),
      // meshlens: drop time in ms (dropped_at is whole-second SQLite datetime text).
      col('ml_dropped_at_ms', 'INTEGER'),
    ],
  },
  {
    name: 'neighbor_edges',
    columns: [
      col('node_a', 'TEXT NOT NULL', "TEXT NOT NULL DEFAULT ''"),
      col('node_b', 'TEXT NOT NULL', "TEXT NOT NULL DEFAULT ''"),
      col('count', 'INTEGER DEFAULT 1'),
      col('last_seen', 'TEXT'),
    ],
    constraints: ['PRIMARY KEY (node_a, node_b)'],
  },
  {
    name: 'client_receptions',
    columns: [
      col('id', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
      col('rx_pubkey', 'TEXT'),
      col('heard_key', 'TEXT'),
      col('heard_keylen', 'INTEGER'),
      col('rssi', 'INTEGER'),
      col('snr', 'REAL'),
      col('lat', 'REAL NOT NULL', 'REAL NOT NULL DEFAULT 0'),
      col('lon', 'REAL NOT NULL', 'REAL NOT NULL DEFAULT 0'),
      col('pos_acc_m', 'REAL'),
      col('rx_at', 'TEXT'),
      col('ingested_at', 'TEXT'),
      col('src', 'TEXT'),
    ],
    constraints: ['UNIQUE (rx_pubkey, heard_key, rx_at)'],
  },
  {
    name: 'client_observers',
    columns: [col('pubkey', 'TEXT PRIMARY KEY'), col('name', 'TEXT'), col('last_seen', 'TEXT')],
  },
  { name: '_migrations', columns: [col('name', 'TEXT PRIMARY KEY')] },
  {
    name: '_async_migrations',
    columns: [
      col('name', 'TEXT PRIMARY KEY'),
      col('status', 'TEXT'),
      col('started_at', 'TEXT'),
      col('ended_at', 'TEXT'),
      col('error', 'TEXT'),
    ],
  },
];

/** Secondary indexes of §2.3 (names as in CoreScope's databases where the fixture shows them). */
export const INDEXES: string[] = [
  'CREATE INDEX IF NOT EXISTS idx_transmissions_hash ON transmissions(hash)',
  'CREATE INDEX IF NOT EXISTS idx_transmissions_first_seen ON transmissions(first_seen)',
  'CREATE INDEX IF NOT EXISTS idx_transmissions_payload_type ON transmissions(payload_type)',
  'CREATE INDEX IF NOT EXISTS idx_transmissions_from_pubkey ON transmissions(from_pubkey)',
  'CREATE INDEX IF NOT EXISTS idx_tx_channel_hash ON transmissions(channel_hash) WHERE payload_type = 5',
  'CREATE INDEX IF NOT EXISTS idx_tx_scope_name ON transmissions(scope_name) WHERE scope_name IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS idx_tx_last_seen_zero ON transmissions(id) WHERE last_seen = 0',
  'CREATE INDEX IF NOT EXISTS idx_observations_transmission_id ON observations(transmission_id)',
  'CREATE INDEX IF NOT EXISTS idx_observations_observer_idx ON observations(observer_idx)',
  'CREATE INDEX IF NOT EXISTS idx_observations_timestamp ON observations(timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_observations_tx_ts ON observations(transmission_id, timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_observations_observer_ts ON observations(observer_idx, timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_nodes_last_seen ON nodes(last_seen)',
  'CREATE INDEX IF NOT EXISTS idx_nodes_foreign ON nodes(foreign_advert) WHERE foreign_advert = 1',
  'CREATE INDEX IF NOT EXISTS idx_inactive_nodes_last_seen ON inactive_nodes(last_seen)',
  'CREATE INDEX IF NOT EXISTS idx_observers_last_seen ON observers(last_seen)',
  'CREATE INDEX IF NOT EXISTS idx_observer_metrics_timestamp ON observer_metrics(timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_dropped_packets_observer ON dropped_packets(observer_id)',
  'CREATE INDEX IF NOT EXISTS idx_dropped_packets_node ON dropped_packets(node_pubkey)',
  'CREATE INDEX IF NOT EXISTS idx_client_receptions_heard ON client_receptions(heard_key, heard_keylen, lat, lon)',
  'CREATE INDEX IF NOT EXISTS idx_client_receptions_latlon ON client_receptions(lat, lon)',
  'CREATE INDEX IF NOT EXISTS idx_client_receptions_rx_at ON client_receptions(rx_at)',
];

/** The dedup key of §1.7; unique when the data allows it (see migrate.ts). */
export const OBSERVATION_DEDUP_INDEX = 'idx_observations_dedup';
export const OBSERVATION_DEDUP_COLUMNS =
  "observations(transmission_id, observer_idx, COALESCE(path_json, ''))";

/** Legacy view for older readers: observations with their transmission and active observer. */
export const PACKETS_VIEW = `CREATE VIEW IF NOT EXISTS packets_v AS
SELECT o.id AS id, t.raw_hex AS raw_hex, datetime(o.timestamp, 'unixepoch') AS timestamp,
       obs.id AS observer_id, obs.name AS observer_name, o.direction AS direction,
       o.snr AS snr, o.rssi AS rssi, o.score AS score, t.hash AS hash,
       t.route_type AS route_type, t.payload_type AS payload_type,
       t.payload_version AS payload_version, o.path_json AS path_json,
       t.decoded_json AS decoded_json, t.created_at AS created_at
FROM observations o
JOIN transmissions t ON t.id = o.transmission_id
LEFT JOIN observers obs ON obs.rowid = o.observer_idx AND COALESCE(obs.inactive, 0) = 0`;

export function createTableSql(t: TableSpec): string {
  const parts = [...t.columns.map((c) => `${c.name} ${c.decl}`), ...(t.constraints ?? [])];
  return `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${parts.join(',\n  ')}\n)`;
}
