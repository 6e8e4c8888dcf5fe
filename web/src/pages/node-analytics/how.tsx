// "How this is computed" notes of the node analytics and reach cards: the method, and where
// meshlens deliberately differs from the reference (docs/compatibility.md "Per-node and
// per-observer analytics", spec analytics §6.4, §7.2).
import type { ComponentChildren } from 'preact';

const MEMBERS =
  "The node's packets are its own adverts plus every transmission whose best path (the observation with the longest path) has a hop that resolves to it; the reference also counts packets that name it as sender or recipient in their decoded JSON, which meshlens does not index.";

export const HOW: Record<string, ComponentChildren> = {
  stats: (
    <>
      <p>{MEMBERS}</p>
      <p>
        Availability = hours with at least one packet ÷ hours in the range. Signal grade from the mean and
        deviation of the best observations' SNR (A: mean &gt; 15 dB and deviation &lt; 2 dB … D: 3 dB or less;
        no SNR counts as D). Relayed = packets whose best path has more than one hop ÷ those with at least
        one. Longest silence is the largest gap between two consecutive packets (the reference measures
        between active hour buckets, which hides gaps under an hour).
      </p>
    </>
  ),
  activity: (
    <p>
      Packets per UTC hour, counted on each packet's first-seen time; shown as 1 h bars up to 7 days, 6 h bars
      up to 30 days, daily beyond, with empty buckets drawn as zero (the server lists only non-empty hours).
    </p>
  ),
  snr: (
    <p>
      One point per packet: the SNR of its best observation, one line per observer (the six with the most
      readings). Observations without an SNR are left out, so a node heard only by observers that report no
      SNR has no trend.
    </p>
  ),
  types: <p>Each packet counted once under its payload type. {MEMBERS}</p>,
  observers: (
    <p>
      Each packet counted once, for the observer of its best observation (the longest path), with that
      observer's mean SNR; the colour follows the SNR zones (≥ 5 dB good, ≥ −5 dB fair, below poor).
    </p>
  ),
  hops: (
    <p>
      Path length of each packet's best observation, in the buckets 0, 1, 2, 3 and 4+. meshlens always lists
      all five buckets, empty ones as zero.
    </p>
  ),
  heatmap: (
    <p>
      Packets per weekday and hour, in UTC, over the whole range (a 365-day range folds a year into one week).
      Each cell states its count; the shade is relative to the busiest cell.
    </p>
  ),
  peers: (
    <p>
      The nodes whose adverts this node carried (an advert with this node as a hop), by count, top 20. The
      reference reads sender and recipient keys from decoded messages instead; meshlens does not index those,
      so a peer here is a node this one relays for.
    </p>
  ),
  computed: (
    <p>The rest of the server's computed stats for this range; the mean SNR is over best observations.</p>
  ),
  clock: (
    <p>
      Each advert's timestamp against the time observers heard it, corrected by the observer's own clock
      offset where known; one point per advert (median over its observers). "Now" is the median of the recent
      good samples; drift is the Theil–Sen slope over the newest 200 adverts after removing jumps over 60 s.
      meshlens uses only the node's own adverts (the reference's series also holds adverts it merely relayed).
    </p>
  ),
  battery: (
    <p>
      Voltage readings from the status messages of the node's own observer and from its adverts' telemetry;
      dashed lines are the server's low and critical thresholds (batteryThresholds). The status uses the
      latest reading.
    </p>
  ),
  reachStats: (
    <p>
      Neighbours and rank come from the whole neighbour graph (edges whose hops resolve to one node). The
      other numbers are for the range: links seen, two-way links, observations with this node in the path, and
      observers that heard it directly (0 hops). meshlens also counts the node's own adverts (the reference's
      path-token scan misses them) and says when a scan hit its 200,000-observation cap.
    </p>
  ),
  reachLinks: (
    <p>
      Built only from hops that identify a node for certain: the node's 1-, 2- or 3-byte prefixes that no
      other relay shares, and neighbours whose hop resolves to a single relay. "We hear" counts the hop before
      this node in a path, "they hear" the hop after it (or the observer). Bottleneck = the smaller of the
      two; tiers: strong ≥ 300, medium 100–299, weak below, one-way when either count is 0.
    </p>
  ),
  coverage: (
    <p>
      Receptions reported by opted-in mobile clients, binned in map cells; the shade follows the cell's best
      SNR. Only shown when the server has RX coverage enabled and there are receptions of this node.
    </p>
  ),
};
