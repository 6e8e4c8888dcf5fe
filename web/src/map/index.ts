// The map kit (see each module): loadLeaflet → createBaseMap → addNodeLayer / drawRoute.
export { loadLeaflet, cssVar, type LeafletNS } from './leaflet';
export { createBaseMap, tileHost, type BaseMap, type BaseMapOptions } from './base-map';
export { addCanvasOverlay, type CanvasOverlay } from './canvas-overlay';
export {
  addNodeLayer,
  type MapLink,
  type MapNode,
  type NodeHit,
  type NodeLayer,
  type NodeLayerOptions,
} from './node-layer';
export { safeFitBounds } from './fit';
export { drawRoute, routeColor, type RoutePoint } from './route';
export { traceRoleShape, roleShapeSvg } from './shapes';
