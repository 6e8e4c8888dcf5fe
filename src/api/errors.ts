// The error registry (style-examples §6, after Fastify's lib/errors.js): every error the API
// returns has a stable code, a message template and an HTTP status. Bodies are CoreScope's
// `{"error": "..."}` (spec ingest-store-api §4.1) plus our `code`. docs/errors.md lists the
// same codes; test/api/errors.test.ts fails when the two drift apart.

export interface ErrorDefinition {
  status: number;
  /** `%s` placeholders are filled in order by apiError(). */
  message: string;
}

export const errorRegistry = {
  MESHLENS_ERR_BAD_PARAMETER: { status: 400, message: "invalid parameter '%s': %s" },
  MESHLENS_ERR_BAD_BODY: { status: 400, message: 'invalid request body: %s' },
  MESHLENS_ERR_INVALID_JSON: { status: 400, message: 'request body is not valid JSON' },
  MESHLENS_ERR_BAD_URL: { status: 400, message: "request URL is not valid: '%s'" },
  MESHLENS_ERR_BAD_REQUEST: { status: 400, message: 'malformed HTTP request' },
  MESHLENS_ERR_BAD_CONTENT_ENCODING: { status: 400, message: "request body could not be decoded as '%s'" },
  MESHLENS_ERR_UNAUTHORIZED: { status: 401, message: 'missing or wrong X-API-Key' },
  MESHLENS_ERR_WRITES_DISABLED: { status: 403, message: 'write endpoints disabled: no apiKey configured' },
  MESHLENS_ERR_ORIGIN_FORBIDDEN: { status: 403, message: "origin '%s' is not allowed" },
  MESHLENS_ERR_NOT_FOUND: { status: 404, message: '%s not found' },
  MESHLENS_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'no route for %s %s' },
  MESHLENS_ERR_METHOD_NOT_ALLOWED: { status: 405, message: 'method %s not allowed' },
  MESHLENS_ERR_REQUEST_TIMEOUT: { status: 408, message: 'the request was not received in time' },
  MESHLENS_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'request body is larger than %s bytes' },
  MESHLENS_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "unsupported content type '%s'" },
  MESHLENS_ERR_UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    message: "unsupported content encoding '%s' (accepted: gzip, deflate, br, identity)",
  },
  MESHLENS_ERR_RATE_LIMITED: { status: 429, message: 'too many requests; retry in %s s' },
  MESHLENS_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    message: 'request line or headers are too large (the URL and headers together are limited)',
  },
  MESHLENS_ERR_INTERNAL: { status: 500, message: 'internal error' },
  MESHLENS_ERR_NOT_READY: { status: 503, message: '%s is not ready yet; retry in %s s' },
  // Analytics routes (routes/analytics.ts): the query parameter at fault goes in the body too.
  MESHLENS_ERR_BAD_QUERY_PARAMETER: { status: 400, message: '%s %s' },
  MESHLENS_ERR_UNKNOWN_AREA: { status: 400, message: 'unknown area %s' },
  MESHLENS_ERR_AREA_WITHOUT_SHAPE: { status: 400, message: 'area %s has no polygon or bbox' },
  MESHLENS_ERR_ANALYTIC_NOT_FOUND: { status: 404, message: 'Not found' },
  MESHLENS_ERR_NO_CLOCK_SKEW: { status: 404, message: 'No clock skew data for this node' },
  MESHLENS_ERR_ANALYTICS_FAILED: { status: 500, message: 'analytics compute failed' },
  MESHLENS_ERR_ANALYTICS_WARMING: { status: 503, message: 'analytics warming up' },
  MESHLENS_ERR_ANALYTICS_STOPPED: { status: 503, message: 'analytics stopped' },
  // issue 9 i9a
  MESHLENS_ERR_SINCE_REQUIRED: { status: 400, message: 'since required' },
  // issue 9 i9b
  MESHLENS_ERR_OBSERVER_NOT_FOUND: { status: 404, message: 'Observer not found' },
  MESHLENS_ERR_NO_KNOWN_CHANNELS: {
    status: 404,
    message: 'no known-channels catalogue configured (set knownChannelsFile in the config)',
  },
  // issue 9 I9c: geo filter (routes/geo-filter.ts).
  MESHLENS_ERR_NO_CONFIG_FILE: {
    status: 409,
    message: 'meshlens runs without a config file: start it with --config to save the geo filter',
  },
  MESHLENS_ERR_CONFIG_WRITE_FAILED: { status: 500, message: 'cannot write the config file: %s' },
  MESHLENS_ERR_NO_GEO_FILTER: { status: 409, message: 'no geo_filter is configured' },
  MESHLENS_ERR_PRUNE_UNAVAILABLE: { status: 503, message: 'the geo-filter prune needs %s' },
  // issue 9 I9e
  MESHLENS_ERR_RX_COVERAGE_DISABLED: {
    status: 404,
    message: 'RX coverage is disabled (set clientRxCoverage.enabled in the config)',
  },
  // issue 11: GET /api/packets?filter= (FilterSyntaxError adds position and expected).
  MESHLENS_ERR_BAD_FILTER: { status: 400, message: 'invalid filter: %s' },
  // issue 13 i13a: POST /api/packets answers after the commit (routes/ingest.ts).
  MESHLENS_ERR_WRITER_BACKLOGGED: {
    status: 503,
    message: 'the database writer is behind (%s operations queued); retry in %s s',
  },
  MESHLENS_ERR_WRITER_DEGRADED: {
    status: 503,
    message: 'database writes are failing (%s since %s); retry in %s s',
  },
  MESHLENS_ERR_NOT_DURABLE: {
    status: 503,
    message: 'packet queued but not yet durable (%s); a retry is safe (dedup absorbs it)',
  },
  // issue 13 (i13c): the heavy-request gate (api/limits.ts).
  MESHLENS_ERR_BUSY: { status: 503, message: 'too many heavy requests in progress (%s); retry in %s s' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorRegistry;

/** An error that becomes an HTTP response as it is. */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = errorRegistry[code].status;
  }

  /** The JSON body every error response carries. */
  body(): { error: string; code: ErrorCode } {
    return { error: this.message, code: this.code };
  }
}

/** Builds the registered error `code`, filling its template with `args`. */
export function apiError(code: ErrorCode, ...args: (string | number)[]): ApiError {
  let i = 0;
  const message = errorRegistry[code].message.replace(/%s/g, () => String(args[i++] ?? ''));
  return new ApiError(code, message);
}

/** A 400 bad body that also names a machine-readable reason (the decoder's or ingest's code). */
export class BadBodyError extends ApiError {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super('MESHLENS_ERR_BAD_BODY', apiError('MESHLENS_ERR_BAD_BODY', detail).message);
  }
  override body() {
    return { ...super.body(), reason: this.reason };
  }
}

/** A filter that does not parse: the body also names the 0-based position and what was expected. */
export class FilterSyntaxError extends ApiError {
  constructor(
    readonly position: number,
    readonly expected: string,
    detail: string,
  ) {
    super('MESHLENS_ERR_BAD_FILTER', apiError('MESHLENS_ERR_BAD_FILTER', detail).message);
  }
  override body() {
    return { ...super.body(), position: this.position, expected: this.expected };
  }
}

/** 503 with Retry-After: the one "not ready yet" answer (design.md: never serve partial data). */
export function notReady(what: string, retryAfterSec = 5): ApiError {
  const err = apiError('MESHLENS_ERR_NOT_READY', what, retryAfterSec);
  Object.assign(err.headers, { 'retry-after': String(retryAfterSec) });
  return err;
}

/** 429 with Retry-After. */
export function rateLimited(retryAfterSec: number): ApiError {
  const err = apiError('MESHLENS_ERR_RATE_LIMITED', retryAfterSec);
  Object.assign(err.headers, { 'retry-after': String(retryAfterSec) });
  return err;
}

/** 503 with Retry-After: the heavy-request gate is full. */
export function busy(inProgress: number, retryAfterSec: number): ApiError {
  const err = apiError('MESHLENS_ERR_BUSY', inProgress, retryAfterSec);
  Object.assign(err.headers, { 'retry-after': String(retryAfterSec) });
  return err;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }[];
  validationContext?: string;
}

/** Maps anything thrown in a request to a registered error. */
/** At most 40 characters of a client-supplied value, for echoing it in a message. */
export function excerpt(v: string): string {
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

export function toApiError(err: unknown, bodyLimitBytes: number, contentEncoding?: string): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyLikeError;
  if (e.validation && e.validation.length > 0) {
    const v = e.validation[0];
    const where = e.validationContext ?? 'request';
    let name = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let problem = v.message ?? v.keyword;
    if (v.keyword === 'required') [name, problem] = [String(v.params.missingProperty), 'is required'];
    if (v.keyword === 'additionalProperties')
      [name, problem] = [String(v.params.additionalProperty), 'is not accepted'];
    if (v.keyword === 'enum') problem = `must be one of ${(v.params.allowedValues as unknown[]).join(', ')}`;
    if (where === 'body') return apiError('MESHLENS_ERR_BAD_BODY', name ? `${name} ${problem}` : problem);
    return apiError('MESHLENS_ERR_BAD_PARAMETER', name || where, problem);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('MESHLENS_ERR_PAYLOAD_TOO_LARGE', bodyLimitBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('MESHLENS_ERR_UNSUPPORTED_MEDIA_TYPE', e.message.replace(/^.*: /, ''));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('MESHLENS_ERR_INVALID_JSON');
    // @fastify/compress decoding request bodies: a client error, never a 500 (issue 13 #6).
    case 'FST_CP_ERR_INVALID_CONTENT_ENCODING':
      return apiError('MESHLENS_ERR_UNSUPPORTED_CONTENT_ENCODING', excerpt(e.message.replace(/^.*: /, '')));
    case 'FST_CP_ERR_INVALID_CONTENT':
      return apiError('MESHLENS_ERR_BAD_CONTENT_ENCODING', excerpt(contentEncoding ?? 'the given encoding'));
  }
  if (err instanceof SyntaxError && e.statusCode === 400) return apiError('MESHLENS_ERR_INVALID_JSON');
  return apiError('MESHLENS_ERR_INTERNAL');
}
