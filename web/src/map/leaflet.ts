// Leaflet is loaded on demand (its own chunk, with its CSS) by the pages that draw a map, so the
// initial JavaScript stays small. Every map module takes the loaded namespace as a parameter.
import type * as Leaflet from 'leaflet';

export type LeafletNS = typeof Leaflet;

let loading: Promise<LeafletNS> | null = null;

/** Leaflet's namespace, imported once (later calls share the promise). */
export function loadLeaflet(): Promise<LeafletNS> {
  loading ??= Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]).then(([mod]) => {
    const ns = mod as unknown as LeafletNS & { default?: LeafletNS };
    return ns.default ?? ns;
  });
  return loading;
}

/** A CSS custom property of the document (theme tokens such as --role-repeater), trimmed. */
export function cssVar(name: string, fallback = '#888'): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}
