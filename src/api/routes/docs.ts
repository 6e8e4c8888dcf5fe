// GET /api/docs (spec ingest-store-api §4.2, §7): Swagger UI for /api/spec, served from the
// swagger-ui-dist npm package (no CDN: CoreScope loads it from unpkg). The page and a fixed list
// of its assets; each asset is read from disk once, on first use.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>meshlens API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '/api/spec',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout'
});
</script>
</body>
</html>
`;

export function docsRoutes(): FastifyPluginAsync {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Promise<Buffer>>();
  return async (app) => {
    app.get(
      '/docs',
      { schema: { summary: 'Swagger UI for /api/spec', tags: ['system'] } },
      async (_r, reply) => reply.type('text/html; charset=utf-8').send(PAGE),
    );
    app.get('/docs/:file', { schema: { hide: true } }, async (request, reply) => {
      const file = (request.params as { file: string }).file;
      // Own keys only: `toString`, `constructor` and the like are not assets (they answered 500).
      const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
      if (type === undefined) throw apiError('MESHLENS_ERR_ROUTE_NOT_FOUND', 'GET', `/api/docs/${file}`);
      let body = cache.get(file);
      if (body === undefined) {
        body = readFile(join(dir, file));
        cache.set(file, body);
        body.catch(() => cache.delete(file));
      }
      return reply.type(type).send(await body);
    });
  };
}
