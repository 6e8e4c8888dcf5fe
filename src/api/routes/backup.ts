// GET /api/backup (spec ingest-store-api §2.5, API key): `VACUUM INTO` a temp file in the
// writer thread (consistent, after everything queued is committed, off the event loop), stream
// it as meshlens-backup-<unix>.db, then delete it.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

export interface BackupRoutesDeps {
  /** Writes a consistent copy of the database to `path` (SqliteWriterThread.backup). */
  backup: (path: string) => Promise<unknown>;
  /** Directory for the temporary copy (default os.tmpdir()). */
  tmpDir?: string;
}

export function backupRoutes(deps: BackupRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/backup',
      {
        preHandler: app.meshlens.requireApiKey,
        schema: {
          summary: 'A consistent copy of the SQLite database (VACUUM INTO), as a download',
          tags: ['system'],
          security: [{ apiKey: [] }],
        },
      },
      async (_request, reply) => {
        const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'meshlens-backup-'));
        const unix = Math.floor(Date.now() / 1000);
        const file = join(dir, `meshlens-backup-${unix}.db`);
        const cleanup = () => void rm(dir, { recursive: true, force: true });
        try {
          await deps.backup(file);
          const { size } = await stat(file);
          const stream = createReadStream(file);
          stream.once('close', cleanup);
          return reply
            .header('content-type', 'application/octet-stream')
            .header('content-length', String(size))
            .header('content-disposition', `attachment; filename="meshlens-backup-${unix}.db"`)
            .send(stream);
        } catch (err) {
          cleanup();
          throw err;
        }
      },
    );
  };
}
