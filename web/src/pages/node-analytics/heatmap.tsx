// The uptime heatmap: packets per UTC hour (columns) and weekday (rows), as a real table so a
// screen reader reads each cell with its day and hour headers; the count is in every cell (as
// text for assistive technology, and in the title for the pointer), the shade is only a cue.
import type { NodeAnalyticsResponse } from '../../../../src/api/contract';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function UptimeHeatmap({ cells }: { cells: NodeAnalyticsResponse['uptimeHeatmap'] }) {
  const grid = DAYS.map(() => HOURS.map(() => 0));
  for (const c of cells)
    if (c.dayOfWeek >= 0 && c.dayOfWeek < 7 && c.hour >= 0 && c.hour < 24)
      grid[c.dayOfWeek][c.hour] += c.count;
  const max = Math.max(1, ...grid.flat());
  return (
    <div class="table-scroll">
      <table class="heatmap" data-field="heatmap">
        <caption class="sr-only">Packets per weekday and hour of the day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="sr-only">Day</span>
            </th>
            {HOURS.map((h) => (
              <th scope="col" class="heat-hour">
                <span aria-hidden="true">{h % 3 === 0 ? String(h).padStart(2, '0') : ''}</span>
                <span class="sr-only">{`${String(h).padStart(2, '0')}:00`}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DAYS.map((day, d) => (
            <tr>
              <th scope="row">{day}</th>
              {HOURS.map((h) => {
                const n = grid[d][h];
                const title = `${day} ${String(h).padStart(2, '0')}:00 UTC: ${n} packet${n === 1 ? '' : 's'}`;
                return (
                  <td
                    class={n > 0 ? 'heat-cell on' : 'heat-cell'}
                    title={title}
                    data-day={d}
                    data-hour={h}
                    data-count={n}
                    style={n > 0 ? { '--heat': String(0.2 + (0.8 * n) / max) } : undefined}
                  >
                    <span class="sr-only">{n}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
