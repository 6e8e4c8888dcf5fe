// Roles tab (spec frontend §3 #14): per role, how many nodes, their share, and the clock skew
// of those that send adverts (median and mean of |skew|, severity breakdown). The snapshot is
// refreshed by the server; the card polls it every 10 s (the reference: every 60 s).
import type { RolesResponse } from '../../../../src/api/contract';
import { useAnalytic } from '../../app/use-analytic';
import { ROLE_LABEL, roleKey } from '../../app/mesh';
import { AnalyticCard } from '../../components/analytic-card';
import { RoleIcon } from '../../components/bits';
import { BarRows, SortTable } from '../../components/data-views';
import { ageText } from '../../components/analytic-card';
import type { TabProps } from './context';

const SEVERITIES = ['ok', 'warning', 'critical', 'absurd', 'noClock'] as const;

export default function RolesTab(_p: TabProps) {
  const st = useAnalytic<RolesResponse>('/analytics/roles', { refreshMs: 10_000 });
  return (
    <div class="agrid">
      <AnalyticCard
        id="roles"
        title="Nodes by role"
        state={st}
        wide
        empty={(d) => d.roles.length === 0}
        how={
          <p>
            Every known node counted once under the role its latest advert declares. Clock skew per role uses
            each node's latest skew estimate (advert timestamp against the observers' receive time, spec
            analytics §6); nodes whose adverts carry no clock are counted as "no clock", never as skewed.
          </p>
        }
      >
        {(d) => (
          <>
            <BarRows
              label="Share of nodes by role"
              max={d.totalNodes}
              rows={d.roles.map((r) => ({
                key: r.role,
                label: (
                  <>
                    <RoleIcon role={r.role} /> {ROLE_LABEL[roleKey(r.role)] ?? r.role}
                  </>
                ),
                value: r.nodeCount,
                text: `${r.nodeCount} (${((100 * r.nodeCount) / Math.max(1, d.totalNodes)).toFixed(1)} %)`,
                color: `--role-${roleKey(r.role)}`,
              }))}
            />
            <SortTable
              caption="Clock skew by role"
              initial={{ key: 'nodeCount', desc: true }}
              rowKey={(r) => r.role}
              rows={d.roles}
              columns={[
                { key: 'role', label: 'Role', render: (r) => ROLE_LABEL[roleKey(r.role)] ?? r.role },
                { key: 'nodeCount', label: 'Nodes', num: true },
                { key: 'withSkew', label: 'With clock', num: true },
                {
                  key: 'medianAbsSkewSec',
                  label: 'Median |skew|',
                  num: true,
                  render: (r) => (r.medianAbsSkewSec === null ? '–' : ageText(r.medianAbsSkewSec * 1000)),
                },
                {
                  key: 'meanAbsSkewSec',
                  label: 'Mean |skew|',
                  num: true,
                  render: (r) => (r.meanAbsSkewSec === null ? '–' : ageText(r.meanAbsSkewSec * 1000)),
                },
                ...SEVERITIES.map((s) => ({
                  key: `${s}Count`,
                  label: s === 'noClock' ? 'No clock' : s[0].toUpperCase() + s.slice(1),
                  num: true,
                })),
              ]}
            />
          </>
        )}
      </AnalyticCard>
    </div>
  );
}
