// Home, "my mesh": is my node being heard, by whom, how well — in the first screen. A stats
// strip (/api/stats, network-status), packets per hour over 24 h (/api/analytics/rf
// packetsPerHour: 24 numbers, cached by the server), observer health (/api/observers), and one
// card per favourite node (/api/nodes/:pk/health). Favourites are starred on the Nodes pages or
// found here; they stay in this browser only.
import type { NetworkStatusResponse, ObserversResponse, RfPacketsPerHour } from '../../../src/api/contract';
import { count } from '../app/format';
import { favourites } from '../app/prefs';
import { href } from '../app/router';
import type { PageProps } from '../app/routes';
import { clientConfig, stats } from '../app/server-state';
import { useApi } from '../app/use-api';
import { Card, Stat, StatusBadge } from '../components/bits';
import { DataState, Page } from '../components/page';
import { Sparkline } from '../components/sparkline';
import { FavouriteCard, FindYourNode } from './home-favourites';
import '../styles/nodes.css';

const HOUR_MS = 3_600_000;

/** 24 hourly counts ending with the current hour; hours the API leaves out are zero. */
export function hourly(perHour: { hour: string; count: number }[], now = Date.now()): number[] {
  const end = Math.floor(now / HOUR_MS);
  const out = new Array<number>(24).fill(0);
  for (const h of perHour) {
    const t = Date.parse(`${h.hour}:00:00Z`);
    const i = 23 - (end - Math.floor(t / HOUR_MS));
    if (i >= 0 && i < 24) out[i] += h.count;
  }
  return out;
}

export default function HomePage(_props: PageProps) {
  const favs = favourites.value;
  const s = stats.value;
  return (
    <Page name="home" title="My mesh" loaded={s !== null}>
      <section class="home-favs" aria-label="My nodes">
        <h2 class="section-title">My nodes</h2>
        {favs.length === 0 ? (
          <p class="home-prompt">
            Star the nodes you care about (the ☆ on the Nodes list or a node's page) and they show up here:
            whether they are heard, by how many observers, and how well. Start by finding your node:
          </p>
        ) : (
          <div class="grid fav-grid">
            {favs.map((pk) => (
              <FavouriteCard pk={pk} key={pk} />
            ))}
          </div>
        )}
        <FindYourNode />
      </section>
      <NetworkStrip />
    </Page>
  );
}

function NetworkStrip() {
  const s = stats.value;
  const net = useApi<NetworkStatusResponse>('/nodes/network-status', { refreshMs: 60_000 });
  const rf = useApi<RfPacketsPerHour>('/analytics/rf?window=24h', { refreshMs: 300_000 });
  return (
    <div class="grid home-strip">
      <Card title="Network">
        <div class="stats">
          <Stat label="packets, 24 h" value={count(s?.packetsLast24h)} />
          <Stat label="packets, last hour" value={count(s?.packetsLastHour)} />
          <Stat
            label="nodes active"
            value={count(net.data?.active)}
            hint={
              net.data ? `${count(net.data.degraded)} degraded, ${count(net.data.silent)} silent` : undefined
            }
          />
          <Stat label="observers" value={count(s?.totalObservers)} />
        </div>
      </Card>
      <Card title="Packets per hour, last 24 h">
        {rf.data ? (
          <ActivitySpark values={hourly(rf.data.packetsPerHour)} />
        ) : (
          <DataState loading={rf.loading} error={rf.error} />
        )}
      </Card>
      <ObserverHealth />
    </div>
  );
}

function ActivitySpark({ values }: { values: number[] }) {
  const peak = Math.max(...values);
  return (
    <figure class="activity">
      <Sparkline values={values} label="Packets per hour over 24 h" width={260} height={48} />
      <figcaption class="muted small activity-axis">
        <span>24 h ago</span>
        <span>
          peak {count(peak)}/h · {count(values.reduce((a, b) => a + b, 0))} in all
        </span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}

function ObserverHealth() {
  const r = useApi<ObserversResponse>('/observers', { refreshMs: 60_000 });
  const th = clientConfig.value?.healthThresholds;
  if (!r.data || !th)
    return (
      <Card title="Observers">
        <DataState loading={!r.error} error={r.error} />
      </Card>
    );
  const now = Date.now();
  const c = { online: 0, stale: 0, offline: 0 };
  for (const o of r.data.observers) {
    const age = o.last_seen ? now - Date.parse(o.last_seen) : Infinity;
    c[age < th.observerOnlineMs ? 'online' : age < th.observerStaleMs ? 'stale' : 'offline']++;
  }
  return (
    <Card title="Observers">
      <ul class="obs-health">
        {(['online', 'stale', 'offline'] as const).map((k) => (
          <li data-observers={k}>
            <span class="num big">{count(c[k])}</span> <StatusBadge status={k} />
          </li>
        ))}
      </ul>
      <a href={href('observers')}>All observers</a>
    </Card>
  );
}
