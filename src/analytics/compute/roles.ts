// GET /api/analytics/roles (spec analytics §5): nodes per role with their clock-skew health.
// Differences from CoreScope (§9.4): `bimodal_clock` is counted (bimodalCount), and the mean and
// median |skew| leave out `no_clock` nodes, whose "skew" is years of garbage, not an offset.
import { computeNodesClockSkew, type NodesClockSkewResponse } from './clock-skew-nodes.js';
import type { AnalyticsInput } from '../inputs/input.js';
import { DEFAULT_QUERY, type AnalyticsQuery } from '../shared/query.js';
import { medianInPlace, round } from '../shared/robust-stats.js';

export interface RoleStats {
  role: string;
  nodeCount: number;
  withSkew: number;
  meanAbsSkewSec: number;
  medianAbsSkewSec: number;
  okCount: number;
  warningCount: number;
  criticalCount: number;
  absurdCount: number;
  noClockCount: number;
  bimodalCount: number;
}

export interface RolesResponse {
  totalNodes: number;
  roles: RoleStats[];
}

/** `fleet` lets the recomputer share one nodes-clock-skew pass (§9.2); computed when omitted. */
export function computeRoles(
  input: AnalyticsInput,
  _query: AnalyticsQuery,
  fleet: NodesClockSkewResponse = computeNodesClockSkew(input, DEFAULT_QUERY),
): RolesResponse {
  const { nodes } = input;
  const skewByKey = new Map(fleet.map((f) => [f.pubkey, f]));
  const byRole = new Map<string, RoleStats & { abs: number[] }>();
  for (let i = 0; i < nodes.count; i++) {
    const role = nodes.role(i)?.trim().toLowerCase() || 'unknown';
    let r = byRole.get(role);
    if (!r) {
      r = {
        role,
        nodeCount: 0,
        withSkew: 0,
        meanAbsSkewSec: 0,
        medianAbsSkewSec: 0,
        okCount: 0,
        warningCount: 0,
        criticalCount: 0,
        absurdCount: 0,
        noClockCount: 0,
        bimodalCount: 0,
        abs: [],
      };
      byRole.set(role, r);
    }
    r.nodeCount++;
    const s = skewByKey.get(nodes.publicKey(i));
    if (!s) continue;
    r.withSkew++;
    switch (s.severity) {
      case 'ok':
        r.okCount++;
        break;
      case 'warning':
        r.warningCount++;
        break;
      case 'critical':
        r.criticalCount++;
        break;
      case 'absurd':
        r.absurdCount++;
        break;
      case 'no_clock':
        r.noClockCount++;
        break;
      case 'bimodal_clock':
        r.bimodalCount++;
        break;
    }
    if (s.severity !== 'no_clock') r.abs.push(Math.abs(s.recentMedianSkewSec));
  }
  const roles: RoleStats[] = [];
  let totalNodes = 0;
  for (const { abs, ...r } of byRole.values()) {
    totalNodes += r.nodeCount;
    if (abs.length) {
      r.meanAbsSkewSec = round(abs.reduce((x, y) => x + y, 0) / abs.length, 2);
      r.medianAbsSkewSec = round(medianInPlace(abs), 2);
    }
    roles.push(r);
  }
  roles.sort((a, b) => b.nodeCount - a.nodeCount || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  return { totalNodes, roles };
}
