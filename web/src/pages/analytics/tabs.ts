// The dashboard's tabs (spec frontend §3), in the spec's order: id (the URL's `tab=`), label,
// which shared controls apply, and the lazily loaded module that draws it.
import type { FunctionComponent } from 'preact';
import type { Control, TabProps } from './context';

export interface TabDef {
  id: string;
  label: string;
  controls: Control[];
  load: () => Promise<{ default: FunctionComponent<TabProps> }>;
}

export const TABS: TabDef[] = [
  {
    id: 'overview',
    label: 'Overview',
    controls: ['region', 'window', 'area'],
    load: () => import('./overview'),
  },
  { id: 'rf', label: 'RF / Signal', controls: ['region', 'window', 'area'], load: () => import('./rf') },
  {
    id: 'topology',
    label: 'Topology',
    controls: ['region', 'window', 'area'],
    load: () => import('./topology'),
  },
  {
    id: 'channels',
    label: 'Channels',
    controls: ['region', 'window', 'area'],
    load: () => import('./channels'),
  },
  { id: 'hashsizes', label: 'Hash Stats', controls: ['region', 'area'], load: () => import('./hash-stats') },
  {
    id: 'collisions',
    label: 'Hash Issues',
    controls: ['region', 'area'],
    load: () => import('./hash-issues'),
  },
  {
    id: 'subpaths',
    label: 'Route Patterns',
    controls: ['region', 'window'],
    load: () => import('./route-patterns'),
  },
  { id: 'nodes', label: 'Nodes', controls: ['region', 'area'], load: () => import('./nodes') },
  { id: 'my-repeaters', label: 'My Repeaters', controls: [], load: () => import('./my-repeaters') },
  { id: 'distance', label: 'Distance', controls: ['region', 'area'], load: () => import('./distance') },
  {
    id: 'neighbor-graph',
    label: 'Neighbor Graph',
    controls: ['region'],
    load: () => import('./neighbor-graph'),
  },
  { id: 'rf-health', label: 'RF Health', controls: [], load: () => import('./rf-health') },
  { id: 'clock-health', label: 'Clock Health', controls: ['area'], load: () => import('./clock-health') },
  { id: 'roles', label: 'Roles', controls: [], load: () => import('./roles') },
  { id: 'scopes', label: 'Scopes', controls: [], load: () => import('./scopes') },
  { id: 'prefix-tool', label: 'Prefix Tool', controls: [], load: () => import('./prefix-tool') },
];

export const tabById = (id: string | null): TabDef => TABS.find((t) => t.id === id) ?? TABS[0];
