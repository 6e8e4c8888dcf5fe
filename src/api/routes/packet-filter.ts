// GET /api/packets?filter= (spec frontend §5, evaluated on the server over the whole store):
// parse here (400 with the position on a syntax error), match in the analytics worker pool
// (AnalyticsService.packetFilter: one scan per filter and data version), then render just the
// requested page of the cached id list with the read model, as the unfiltered list does.
import { FilterSyntaxError, notReady } from '../errors.js';
import { parseFilter, printFilter, type FilterNode } from '../../protocol/filter/index.js';
import type {
  MeshReadModel,
  PacketDetailOptions,
  LazyPage,
  TransmissionSummary,
} from '../../store/read-model.js';
import { badParam } from './params.js';

/** Longest filter text accepted (characters). */
export const MAX_FILTER_LENGTH = 1000;

/** Runs a parsed filter over the store; `key` is its canonical text. */
export type PacketFilterRunner = (
  ast: FilterNode,
  key: string,
) => Promise<{ status: 'ready'; match: { ids: Uint32Array } } | { status: 'warming'; retryAfterS: number }>;

/** /packets parameters that combine with `filter` (paging and rendering); any other is a 400. */
const COMBINABLE = new Set(['filter', 'limit', 'offset', 'order', 'expand', 'groupByHash']);

export interface FilteredPageRequest {
  filter: string;
  query: Record<string, unknown>;
  limit: number;
  offset: number;
  order: 'asc' | 'desc';
  detail: PacketDetailOptions;
}

/** The parsed filter, or a 400 naming the position and what was expected. */
export function parsePacketFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw badParam('filter', `at most ${MAX_FILTER_LENGTH} characters`);
  const r = parseFilter(text);
  if (!r.ok) throw new FilterSyntaxError(r.error.position, r.error.expected, r.error.message);
  return r.ast;
}

export async function filteredPage(
  model: MeshReadModel,
  run: PacketFilterRunner | null,
  req: FilteredPageRequest,
): Promise<LazyPage<TransmissionSummary>> {
  for (const [k, v] of Object.entries(req.query))
    if (!COMBINABLE.has(k) && v !== undefined && v !== '')
      throw badParam('filter', `cannot be combined with '${k}': write it into the filter`);
  const ast = parsePacketFilter(req.filter);
  if (!run) throw badParam('filter', 'needs the analytics engine, which is disabled');
  const answer = await run(ast, printFilter(ast));
  if (answer.status === 'warming') throw notReady('packet filter', answer.retryAfterS);
  const ids = answer.match.ids;
  const total = ids.length;
  const start = Math.min(req.offset, total);
  const end = Math.min(total, start + req.limit);
  // The list is newest first; oldest first reads it from the end.
  const page =
    req.order === 'asc'
      ? ids
          .subarray(total - end, total - start)
          .slice()
          .reverse()
      : ids.subarray(start, end);
  return { items: model.packetsByIds(page, req.detail), total };
}
