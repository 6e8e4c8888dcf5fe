// What every analytics tab receives: the shared controls' values (from the URL) and a builder
// of the API path that sends only the parameters the analytic takes (spec frontend §3: the
// window goes only to rf, topology, channels and relay-airtime; hash sizes and collisions
// always cover all data).
import { apiPath } from '../../app/api';

export type Control = 'region' | 'window' | 'area';

export interface TabProps {
  /** IATA codes ([] = all regions). */
  regions: string[];
  /** '1h' | '24h' | '7d' | '30d', or null for all data. */
  window: string | null;
  /** A configured area key, or null. */
  area: string | null;
}

/** `/analytics/rf?region=…&window=…`: only the `controls` named, plus `extra` parameters. */
export function analyticsPath(
  path: string,
  t: TabProps,
  controls: Control[],
  extra: Record<string, string | number | null | undefined> = {},
): string {
  return apiPath(path, {
    ...(controls.includes('region') && t.regions.length > 0 ? { region: t.regions.join(',') } : {}),
    ...(controls.includes('window') && t.window ? { window: t.window } : {}),
    ...(controls.includes('area') && t.area ? { area: t.area } : {}),
    ...extra,
  });
}
