// X-API-Key guard for write and admin routes (spec ingest-store-api §4.1). Weak keys never get
// here: loadConfig refuses them.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { apiError } from './errors.js';

/**
 * A preHandler that admits a request only with the configured key: 403 when no key is
 * configured (writes disabled), 401 when the header is missing or wrong.
 */
export function requireApiKey(apiKey: string): (request: FastifyRequest) => Promise<void> {
  const expected = apiKey === '' ? null : digest(apiKey);
  return async (request) => {
    if (expected === null) throw apiError('MESHLENS_ERR_WRITES_DISABLED');
    const given = request.headers['x-api-key'];
    // Comparing fixed-length digests keeps the time independent of where the keys differ.
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected))
      throw apiError('MESHLENS_ERR_UNAUTHORIZED');
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
