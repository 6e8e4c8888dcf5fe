// The web UI's files (web/dist, built by Vite) at `/`. Only the files present when the server
// starts are routes (no wildcard file lookup), so a path can never reach outside web/dist:
// traversal is refused by construction. Hashed assets under /assets/ are immutable for a year;
// index.html is revalidated on every load so a new build is picked up at once. Any other GET
// that is not an API path and has no file extension answers index.html (SPA fallback: the UI
// routes by `#/…`, but a pasted `/packets` link still opens the app).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from './errors.js';

/** web/dist of this package, from src/api (tsx) and dist/api (compiled) alike. */
export const defaultWebRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>meshlens</title></head>
<body><main><h1>meshlens</h1><p>The web UI has not been built. Run <code>npm run build:web</code>
(or <code>npm start</code>, which builds it) and reload. The API is at <a href="/api/docs">/api/docs</a>.</p>
</main></body></html>`;

export function webUi(root: string = defaultWebRoot): FastifyPluginAsync {
  return async (app) => {
    const built = existsSync(`${root}/index.html`);
    let indexHtml: Buffer | null = null;
    if (built) {
      await app.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        index: false,
        etag: true,
        lastModified: true,
        // Our own Cache-Control per file (setHeaders), not send's default `max-age=0`.
        cacheControl: false,
        setHeaders: (res, path) => {
          res.setHeader('cache-control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE);
        },
      });
      indexHtml = await readFile(`${root}/index.html`);
    }
    const sendIndex = async (_req: unknown, reply: import('fastify').FastifyReply) =>
      reply
        .code(indexHtml ? 200 : 503)
        .header('cache-control', REVALIDATE)
        .type('text/html; charset=utf-8')
        .send(indexHtml ?? NOT_BUILT);
    app.get('/', { schema: { hide: true } }, sendIndex);
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?')[0];
      // API paths and missing files keep a real 404: an HTML page served as a script or as JSON
      // would fail confusingly far from the cause.
      if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) {
        throw apiError('MESHLENS_ERR_ROUTE_NOT_FOUND', req.method, path);
      }
      return sendIndex(req, reply);
    });
  };
}
