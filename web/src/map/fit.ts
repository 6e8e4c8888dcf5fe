// fitBounds that cannot throw: Leaflet computes the zoom from the container's size minus the
// padding, so a map not laid out yet (0×0), or padding wider than a phone's map, gives NaN and
// "Invalid LatLng object: (NaN, NaN)". Then the view is centred on the bounds instead, at the
// current zoom; an invalid or empty bounds leaves the view alone. (A single position has no
// fitting zoom either: without a tile layer the map's max zoom is Infinity.)
import type { FitBoundsOptions, LatLngBoundsExpression, Map as LMap } from 'leaflet';
import type { LeafletNS } from './leaflet';

export function safeFitBounds(
  L: LeafletNS,
  map: LMap,
  bounds: LatLngBoundsExpression,
  opts: FitBoundsOptions = {},
): void {
  const b = L.latLngBounds(bounds as never);
  if (!b.isValid()) return;
  const size = map.getSize();
  const pad = L.point(opts.padding ?? [0, 0]);
  const tl = L.point(opts.paddingTopLeft ?? pad);
  const br = L.point(opts.paddingBottomRight ?? pad);
  // A zero-size box (one position) has no zoom that fits it: Leaflet answers Infinity.
  const point = b.getNorthEast().equals(b.getSouthWest());
  if (point || size.x - tl.x - br.x <= 0 || size.y - tl.y - br.y <= 0) {
    map.setView(b.getCenter(), Number.isFinite(map.getZoom()) ? map.getZoom() : 8, { animate: false });
    return;
  }
  map.fitBounds(b, opts);
}
