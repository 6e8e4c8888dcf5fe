// The observer page's range: a whole number of days from 1 to 30 (`range=<N>d` in the URL).

export interface ObserverRange {
  days: number;
  value: string;
  label: string;
  /** The server's bucket for this many days (spec analytics §7.3). */
  bucket: string;
}

export function rangeOf(raw: string | null): ObserverRange {
  const m = /^(\d{1,2})d$/.exec(raw ?? '');
  const n = m ? Number(m[1]) : 7;
  const days = n >= 1 && n <= 30 ? n : 7;
  return {
    days,
    value: `${days}d`,
    label: `${days} d`,
    bucket: days <= 1 ? '1 h' : days <= 7 ? '4 h' : '1 d',
  };
}
