// /api/config/client, /api/config/theme, /api/config/regions (spec ingest-store-api §4.2
// "Config", §6): what the SPA reads at boot. The UI keys pass through from config.json
// (`config.ui`); theme.json, when the composition root read one, overlays the theme keys.
import type { FastifyPluginAsync } from 'fastify';
import type { ReadRoutesDeps } from './context.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const THEME_KEYS = [
  'branding',
  'theme',
  'themeDark',
  'nodeColors',
  'typeColors',
  'home',
  'markerStroke',
] as const;
const CLIENT_KEYS = [
  'roles',
  'map',
  'tiles',
  'mapDefaults',
  'snrThresholds',
  'distThresholds',
  'maxHopDist',
  'limits',
  'perfSlowMs',
  'wsReconnectMs',
  'cacheInvalidateMs',
  'externalUrls',
  'timestamps',
  'debugAffinity',
] as const;
const freeObject = { type: 'object', additionalProperties: true } as const;

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export interface ConfigRoutesDeps extends Pick<ReadRoutesDeps, 'model' | 'config'> {
  /** theme.json beside the config, merged over the config's UI keys. */
  themeOverlay?: Record<string, unknown>;
}

export function configRoutes(deps: ConfigRoutesDeps): FastifyPluginAsync {
  const { config, model } = deps;
  const ui = config.ui;
  return async (app) => {
    app.get(
      '/config/client',
      {
        schema: {
          summary: 'UI settings: roles, thresholds (ms), map, limits, live map',
          tags: ['config'],
          response: { 200: freeObject },
        },
      },
      async () => {
        const h = config.healthThresholds;
        const liveMap = asObject(ui.liveMap);
        const maxNodes = typeof liveMap.maxNodes === 'number' ? liveMap.maxNodes : 2000;
        const out: Record<string, unknown> = {};
        for (const k of CLIENT_KEYS) if (ui[k] !== undefined) out[k] = ui[k];
        return {
          ...out,
          healthThresholds: {
            infraDegradedMs: h.infraDegradedHours * HOUR_MS,
            infraSilentMs: h.infraSilentHours * HOUR_MS,
            nodeDegradedMs: h.nodeDegradedHours * HOUR_MS,
            nodeSilentMs: h.nodeSilentHours * HOUR_MS,
            relayActiveMs: h.relayActiveHours * HOUR_MS,
            observerOnlineMs: h.observerOnlineMinutes * MINUTE_MS,
            observerStaleMs: h.observerStaleMinutes * MINUTE_MS,
          },
          batteryThresholds: config.batteryThresholds,
          propagationBufferMs:
            typeof liveMap.propagationBufferMs === 'number' ? liveMap.propagationBufferMs : 5000,
          liveMapMaxNodes: Math.min(20000, Math.max(100, maxNodes)),
          customizer: { disabledTabs: asObject(ui.customizer).disabledTabs ?? [] },
          clientRxCoverage: false,
          listLimits: config.listLimits,
        };
      },
    );

    app.get(
      '/config/theme',
      {
        schema: {
          summary: 'Branding, colours and home-page content',
          tags: ['config'],
          response: { 200: freeObject },
        },
      },
      async () => {
        const out: Record<string, unknown> = {};
        const overlay = deps.themeOverlay ?? {};
        for (const k of THEME_KEYS) {
          const v = overlay[k] ?? ui[k];
          out[k] = v === undefined ? {} : v;
        }
        return out;
      },
    );

    app.get(
      '/config/regions',
      {
        schema: {
          summary: "IATA code -> label: configured regions plus every observer's IATA",
          tags: ['config'],
          response: { 200: { type: 'object', additionalProperties: { type: 'string' } } },
        },
      },
      async () => {
        const out: Record<string, string> = {};
        for (const code of model.regionCodes()) out[code] = code;
        for (const [code, label] of Object.entries(config.regions)) out[code.toUpperCase()] = label;
        return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
      },
    );
  };
}
