// OpenAPI 3 document generated from the route schemas (spec ingest-store-api §7: CoreScope
// walks its router too). Collected through fastify's onRoute hook, so a route without a
// schema still appears, and a schema is never written twice.
import type { FastifyInstance, RouteOptions } from 'fastify';

type Schema = Record<string, unknown>;

// Documentation keys a route schema may carry (fastify ignores them; the generator reads them).
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    security?: Record<string, string[]>[];
    /** Leaves the route out of the document. */
    hide?: boolean;
  }
}

interface Operation {
  method: string;
  path: string;
  schema: Schema;
}

/** Records routes as they are added; call before any route is registered. */
export function collectRoutes(app: FastifyInstance, prefix: string): Operation[] {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(prefix)) return;
    const schema = (route.schema ?? {}) as Schema;
    if (schema.hide === true) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      operations.push({ method: method.toLowerCase(), path: route.url.replace(/:(\w+)/g, '{$1}'), schema });
    }
  });
  return operations;
}

export function buildOpenApi(
  operations: readonly Operation[],
  info: { title: string; version: string },
): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of operations) {
    const s = op.schema;
    const parameters = [
      ...toParameters(s.params as Schema | undefined, 'path'),
      ...toParameters(s.querystring as Schema | undefined, 'query'),
    ];
    const responses: Record<string, Schema> = {};
    for (const [status, body] of Object.entries((s.response as Record<string, Schema> | undefined) ?? {}))
      responses[status] = {
        description: String(body.description ?? (status.startsWith('2') ? 'OK' : 'Error')),
        content: { 'application/json': { schema: stripDescription(body) } },
      };
    if (Object.keys(responses).length === 0) responses.default = { description: 'JSON response' };
    const operation: Schema = {
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(s.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: s.body } } } }
        : {}),
      ...(s.security ? { security: s.security } : {}),
      responses,
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.0.3',
    info,
    paths,
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
  };
}

function toParameters(schema: Schema | undefined, where: 'path' | 'query'): Schema[] {
  const properties = (schema?.properties as Record<string, Schema> | undefined) ?? {};
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(prop.description ? { description: prop.description } : {}),
    schema: stripDescription(prop),
  }));
}

function stripDescription(schema: Schema): Schema {
  const { description: _description, ...rest } = schema;
  return rest;
}
