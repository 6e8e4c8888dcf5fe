// The API paths of the RF Health tab for a range (one path per observer and range, so a tile's
// sparkline and the detail charts of the same observer share one request).
import { apiPath } from '../../../app/api';
import type { RfRange } from './range';

export const summaryPath = (r: RfRange) => apiPath('/observers/metrics/summary', { window: r.window });

export const metricsPath = (id: string, r: RfRange) =>
  apiPath(`/observers/${encodeURIComponent(id)}/metrics`, {
    since: r.since,
    until: r.until,
    resolution: r.resolution,
  });
