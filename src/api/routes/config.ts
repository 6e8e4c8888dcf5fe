// /api/config/client, /api/config/theme, /api/config/regions (spec ingest-store-api §4.2
// "Config", §6): what the SPA reads at boot. The UI keys pass through from config.json
// (`config.ui`); theme.json, when the composition root read one, overlays the theme keys.
import type { FastifyPluginAsync } from 'fastify';
import { areaShape, geoFilterJson, type GeoFilterStore } from '../../config/geo-filter.js';
import type { MapConfigResponse } from '../contract.js';
import type { ReadRoutesDeps } from './context.js';
import {
  CLIENT_PASS_THROUGH_KEYS,
  DEFAULT_BRANDING,
  DEFAULT_HOME,
  DEFAULT_MAP,
  DEFAULT_NODE_COLORS,
  DEFAULT_THEME,
  DEFAULT_THEME_DARK,
  DEFAULT_TIMESTAMPS,
  DEFAULT_TYPE_COLORS,
  LIVE_MAP,
} from './ui-defaults.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const freeObject = { type: 'object', additionalProperties: true } as const;
const freeArray = { type: 'array', items: freeObject } as const;

type Json = Record<string, unknown>;

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** defaults, then each overlay's keys (objects only; anything else in an overlay is ignored). */
function mergeMaps(defaults: Json, ...overlays: unknown[]): Json {
  const out: Json = { ...defaults };
  for (const o of overlays) Object.assign(out, asObject(o));
  return out;
}

/** An operator colour for `REQ` or `REQUEST` sets both aliases (REQ wins when both are given). */
function typeColorsWithAliases(merged: Json, ...overlays: unknown[]): Json {
  let req: unknown;
  for (const o of overlays) {
    const v = asObject(o);
    req = v.REQ ?? v.REQUEST ?? req;
  }
  return req === undefined ? merged : { ...merged, REQ: req, REQUEST: req };
}

/** liveMap.maxNodes clamped to 100..20000; unset, zero or negative means the default 2000. */
export function liveMapMaxNodes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return LIVE_MAP.maxNodes;
  return Math.min(LIVE_MAP.maxMaxNodes, Math.max(LIVE_MAP.minNodes, Math.round(value)));
}

export interface ConfigRoutesDeps extends Pick<ReadRoutesDeps, 'model' | 'config'> {
  /** theme.json beside the config, merged over the config's UI keys. */
  themeOverlay?: Record<string, unknown>;
  /** The geo filter in force (a PUT may replace it); exposed to the client as `geoFilter`. */
  geoFilter?: GeoFilterStore;
}

export function configRoutes(deps: ConfigRoutesDeps): FastifyPluginAsync {
  const { config, model } = deps;
  const ui = config.ui;
  const overlay = deps.themeOverlay ?? {};
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
        const out: Json = {};
        for (const k of CLIENT_PASS_THROUGH_KEYS) out[k] = ui[k] ?? null;
        // The top-level tiles / mapDarkTileProvider are deprecated: migrated into map.tiles.
        const map = asObject(ui.map);
        const tiles = { ...asObject(ui.tiles), ...asObject(map.tiles) };
        const dark = typeof ui.mapDarkTileProvider === 'string' ? ui.mapDarkTileProvider : undefined;
        if (dark !== undefined && tiles.darkDefault === undefined) tiles.darkDefault = dark;
        const geo = deps.geoFilter?.get() ?? null;
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
          map: Object.keys(map).length === 0 && Object.keys(tiles).length === 0 ? null : { ...map, tiles },
          ...(ui.tiles !== undefined ? { tiles: ui.tiles } : {}),
          ...(dark !== undefined ? { mapDarkTileProvider: dark } : {}),
          batteryThresholds: config.batteryThresholds,
          propagationBufferMs:
            typeof liveMap.propagationBufferMs === 'number'
              ? liveMap.propagationBufferMs
              : LIVE_MAP.propagationBufferMs,
          liveMapMaxNodes: liveMapMaxNodes(liveMap.maxNodes),
          timestamps: mergeMaps(DEFAULT_TIMESTAMPS, ui.timestamps),
          ...(ui.debugAffinity === true ? { debugAffinity: true } : {}),
          customizer: {
            disabledTabs: Array.isArray(asObject(ui.customizer).disabledTabs)
              ? asObject(ui.customizer).disabledTabs
              : [],
          },
          clientRxCoverage: config.clientRxCoverage.enabled,
          ...(geo ? { geoFilter: geoFilterJson(geo) } : {}),
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
        const layer = (key: string, defaults: Json) => mergeMaps(defaults, ui[key], overlay[key]);
        const marker = mergeMaps({}, ui.markerStroke, overlay.markerStroke);
        return {
          branding: layer('branding', DEFAULT_BRANDING),
          theme: layer('theme', DEFAULT_THEME),
          themeDark: layer('themeDark', DEFAULT_THEME_DARK),
          nodeColors: layer('nodeColors', DEFAULT_NODE_COLORS),
          typeColors: typeColorsWithAliases(
            layer('typeColors', DEFAULT_TYPE_COLORS),
            ui.typeColors,
            overlay.typeColors,
          ),
          home: layer('home', DEFAULT_HOME),
          // No server default: an empty object leaves the SPA's own stroke (as before).
          markerStroke: marker,
        };
      },
    );

    app.get(
      '/config/map',
      {
        schema: {
          summary:
            'Initial map centre [lat, lon] and zoom (mapDefaults); tile URL and attribution (map.tileUrl)',
          tags: ['config'],
          response: {
            200: {
              type: 'object',
              properties: {
                center: { type: 'array', items: { type: 'number' } },
                zoom: { type: 'number' },
                tileUrl: { type: ['string', 'null'] },
                attribution: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
      async () => {
        const m = asObject(ui.mapDefaults);
        const center =
          Array.isArray(m.center) && m.center.length === 2 && m.center.every((v) => typeof v === 'number')
            ? m.center
            : DEFAULT_MAP.center;
        const zoom = typeof m.zoom === 'number' && m.zoom > 0 ? m.zoom : DEFAULT_MAP.zoom;
        // No tile server by default (offline LAN): the UI draws a plain background. The keys are
        // only present when configured, so a CoreScope config answers exactly {center, zoom}.
        const tiles = asObject(ui.map);
        const out: MapConfigResponse = { center: center as [number, number], zoom };
        if (typeof tiles.tileUrl === 'string') {
          out.tileUrl = tiles.tileUrl;
          out.attribution = typeof tiles.attribution === 'string' ? tiles.attribution : null;
        }
        return out;
      },
    );

    app.get(
      '/config/cache',
      {
        schema: {
          summary: 'The cacheTTL object (seconds) as configured',
          tags: ['config'],
          response: { 200: { type: 'object', additionalProperties: { type: 'number' } } },
        },
      },
      async () => config.cacheTTL,
    );

    const areaEntries = Object.entries(config.areas)
      .filter(([, a]) => areaShape(a) !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    const areaLabel = (key: string, a: Json) => (typeof a.label === 'string' ? a.label : key);

    app.get(
      '/config/areas',
      {
        schema: {
          summary: 'Configured areas: [{key, label}] (for the area filter)',
          tags: ['config'],
          response: { 200: freeArray },
        },
      },
      async () => areaEntries.map(([key, a]) => ({ key, label: areaLabel(key, a) })),
    );

    app.get(
      '/config/areas/polygons',
      {
        schema: {
          summary: 'Configured areas with their geometry (polygon or latMin/latMax/lonMin/lonMax)',
          tags: ['config'],
          response: { 200: freeArray },
        },
      },
      async () =>
        areaEntries.map(([key, a]) => {
          const box = ['latMin', 'latMax', 'lonMin', 'lonMax'].every((k) => typeof a[k] === 'number');
          return {
            key,
            label: areaLabel(key, a),
            ...(box && !Array.isArray(a.polygon)
              ? { latMin: a.latMin, latMax: a.latMax, lonMin: a.lonMin, lonMax: a.lonMax }
              : { polygon: areaShape(a) }),
          };
        }),
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
