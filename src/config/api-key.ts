// Weak API keys are refused when the config loads (spec ingest-store-api §4.1: CoreScope
// refuses them per request with 403; failing at start tells the operator at once).

const placeholders = new Set([
  'change-me',
  'changeme',
  'change_me',
  'test',
  'secret',
  'password',
  'admin',
  'apikey',
  'api-key',
  'your-api-key',
  'your-api-key-here',
  'your-secret-api-key',
  'your-secret-api-key-here',
  'change-me-to-a-long-random-string',
]);

/** Minimum length of an accepted API key (characters). */
export const minApiKeyLength = 16;

/** Why `key` is too weak to guard write routes, or null when it is acceptable. */
export function weakApiKeyReason(key: string): string | null {
  if (placeholders.has(key.toLowerCase())) return 'is a well-known placeholder';
  if (key.length < minApiKeyLength) return `is shorter than ${minApiKeyLength} characters`;
  if (new Set(key).size === 1) return 'repeats one character';
  return null;
}
