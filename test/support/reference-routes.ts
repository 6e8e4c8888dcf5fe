// The reference's route list (test/fixtures/reference-routes.json: spec ingest-store-api §4.2,
// every route of every table) for the acceptance test and the bench. Paths are relative to
// /api, with `{name}` path parameters as in the spec and in meshlens's /api/spec.
import { readFileSync } from 'node:fs';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ReferenceRoute {
  group: string;
  method: HttpMethod;
  /** Relative to /api, e.g. `/nodes/{pubkey}/health`. */
  path: string;
  /** ★ in the spec: core for meshlens v1. */
  core: boolean;
  /** 🔑 in the spec: needs X-API-Key. */
  apiKey: boolean;
}

export interface PendingRoute {
  /** `METHOD /path`, as routeKey() writes it. */
  route: string;
  reason: string;
  /** Which issue it waits for (the `pending` list only). */
  waitsFor?: string;
}

export interface ReferenceRouteList {
  routes: ReferenceRoute[];
  /** Routes of the next issue (analytics). */
  pending: PendingRoute[];
  /** Issue-9 routes being built on other branches (emptied as they merge). */
  pendingIssue9: PendingRoute[];
}

export function readReferenceRoutes(): ReferenceRouteList {
  return JSON.parse(
    readFileSync(new URL('../fixtures/reference-routes.json', import.meta.url), 'utf8'),
  ) as ReferenceRouteList;
}

/** `GET /nodes/{pubkey}`: the key the pending lists use. */
export function routeKey(r: { method: string; path: string }): string {
  return `${r.method.toUpperCase()} ${r.path}`;
}

/** A path template with parameter names erased (`/nodes/{}`), to compare across naming. */
export function pathShape(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}').replace(/:\w+/g, '{}');
}

/** Every `METHOD /path` of an OpenAPI document, paths made relative to `prefix`, names erased. */
export function openApiRouteShapes(doc: { paths?: Record<string, object> }, prefix = '/api'): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith(prefix)) continue;
    for (const method of Object.keys(ops))
      out.add(`${method.toUpperCase()} ${pathShape(path.slice(prefix.length))}`);
  }
  return out;
}

/** Fills `{name}` parameters from `values`; throws on a parameter with no value. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(v);
  });
}
