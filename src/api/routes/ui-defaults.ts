// What /api/config/theme and /api/config/client answer when config.json (and theme.json) say
// nothing (spec ingest-store-api §4.2 "Config", §6 "S → client"). Theme maps are merged key by
// key: defaults, then config.json, then theme.json. Client keys the reference passes through
// from the operator's config without a server default (roles, snrThresholds, …) are null when
// unconfigured, as the reference answers; the SPA keeps its own defaults for them.

export const DEFAULT_BRANDING = {
  siteName: 'meshlens',
  tagline: 'Real-time MeshCore LoRa mesh network analyzer',
};

export const DEFAULT_THEME = {
  accent: '#4a9eff',
  accentHover: '#6db3ff',
  navBg: '#0f0f23',
  navBg2: '#1a1a2e',
  navText: '#ffffff',
  navTextMuted: '#cbd5e1',
  background: '#f4f5f7',
  text: '#1a1a2e',
  textMuted: '#5b6370',
  border: '#e2e5ea',
  surface1: '#ffffff',
  surface2: '#ffffff',
  surface3: '#ffffff',
  sectionBg: '#eef2ff',
  cardBg: '#ffffff',
  contentBg: '#f4f5f7',
  detailBg: '#ffffff',
  inputBg: '#ffffff',
  rowStripe: '#f9fafb',
  rowHover: '#eef2ff',
  selectedBg: '#dbeafe',
  statusGreen: '#22c55e',
  statusYellow: '#eab308',
  statusRed: '#ef4444',
};

export const DEFAULT_THEME_DARK = {
  ...DEFAULT_THEME,
  background: '#0f0f23',
  text: '#e2e8f0',
  textMuted: '#a8b8cc',
  border: '#334155',
  surface1: '#1a1a2e',
  surface2: '#232340',
  surface3: '#2d2d50',
  sectionBg: '#1e1e34',
  cardBg: '#1a1a2e',
  contentBg: '#0f0f23',
  detailBg: '#232340',
  inputBg: '#1e1e34',
  rowStripe: '#1e1e34',
  rowHover: '#2d2d50',
  selectedBg: '#1e3a5f',
};

export const DEFAULT_NODE_COLORS = {
  repeater: '#dc2626',
  companion: '#2563eb',
  room: '#16a34a',
  sensor: '#d97706',
  observer: '#8b5cf6',
};

/**
 * Packet-type colours. The reference's SPA keys request packets as `REQUEST`, while the
 * decoder (and meshlens's own names) say `REQ`: both keys are served with one colour, and an
 * operator value for either alias sets both (typeColorsWithAliases).
 */
export const DEFAULT_TYPE_COLORS = {
  ADVERT: '#22c55e',
  GRP_TXT: '#3b82f6',
  TXT_MSG: '#f59e0b',
  ACK: '#6b7280',
  REQ: '#a855f7',
  REQUEST: '#a855f7',
  RESPONSE: '#06b6d4',
  TRACE: '#ec4899',
  PATH: '#14b8a6',
  ANON_REQ: '#f43f5e',
  UNKNOWN: '#6b7280',
};

export const DEFAULT_HOME = {
  heroTitle: 'meshlens',
  heroSubtitle: 'Find your nodes to start monitoring them.',
  steps: [
    { emoji: '📡', title: 'Connect', description: 'Link your node to the mesh' },
    { emoji: '🔍', title: 'Monitor', description: 'Watch packets flow in real time' },
    { emoji: '📊', title: 'Analyze', description: "Understand your network's health" },
  ],
  footerLinks: [
    { label: '📦 Packets', url: '#/packets' },
    { label: '🗺️ Network Map', url: '#/map' },
  ],
};

/** Spec §6: `timestamps{defaultMode ago, timezone local, formatPreset iso, customFormat, allowCustomFormat}`. */
export const DEFAULT_TIMESTAMPS = {
  defaultMode: 'ago',
  timezone: 'local',
  formatPreset: 'iso',
  customFormat: '',
  allowCustomFormat: false,
};

/** Spec §4.2 `/config/map`. */
export const DEFAULT_MAP = { center: [37.45, -122.0], zoom: 9 };

export const LIVE_MAP = { propagationBufferMs: 5000, maxNodes: 2000, minNodes: 100, maxMaxNodes: 20000 };

/** Client keys served as configured, null when absent. */
export const CLIENT_PASS_THROUGH_KEYS = [
  'roles',
  'snrThresholds',
  'distThresholds',
  'maxHopDist',
  'limits',
  'perfSlowMs',
  'wsReconnectMs',
  'cacheInvalidateMs',
  'externalUrls',
] as const;
