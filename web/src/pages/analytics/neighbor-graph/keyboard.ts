// Pan and zoom of the view transform: by keyboard (arrows pan, + and - zoom about the centre,
// 0 resets to fit) and by pointer (drag pans, the wheel zooms about the cursor). Pure functions
// of the view, so they are cheap and testable; the canvas only redraws.
import type { View } from './renderer';

export const PAN_STEP = 60;
export const ZOOM_STEP = 1.25;
const K_MIN = 0.02;
const K_MAX = 40;

export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const k = Math.min(K_MAX, Math.max(K_MIN, v.k * factor));
  const f = k / v.k;
  return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
}

export const panBy = (v: View, dx: number, dy: number): View => ({ k: v.k, x: v.x + dx, y: v.y + dy });

export type KeyAction =
  | { kind: 'view'; view: View }
  | { kind: 'reset' }
  | { kind: 'select-centre' }
  | { kind: 'step'; delta: 1 | -1 }
  | { kind: 'clear' };

/** What a key does on the focused canvas (null: not ours, let the browser have it). */
export function keyAction(e: KeyboardEvent, v: View, w: number, h: number): KeyAction | null {
  const step = e.shiftKey ? PAN_STEP * 3 : PAN_STEP;
  switch (e.key) {
    case 'ArrowLeft':
      return { kind: 'view', view: panBy(v, step, 0) };
    case 'ArrowRight':
      return { kind: 'view', view: panBy(v, -step, 0) };
    case 'ArrowUp':
      return { kind: 'view', view: panBy(v, 0, step) };
    case 'ArrowDown':
      return { kind: 'view', view: panBy(v, 0, -step) };
    case '+':
    case '=':
      return { kind: 'view', view: zoomAt(v, ZOOM_STEP, w / 2, h / 2) };
    case '-':
    case '_':
      return { kind: 'view', view: zoomAt(v, 1 / ZOOM_STEP, w / 2, h / 2) };
    case '0':
      return { kind: 'reset' };
    case 'Enter':
    case ' ':
      return { kind: 'select-centre' };
    case 'n':
    case ']':
      return { kind: 'step', delta: 1 };
    case 'p':
    case '[':
      return { kind: 'step', delta: -1 };
    case 'Escape':
      return { kind: 'clear' };
    default:
      return null;
  }
}

export const viewAttr = (v: View) => `${v.k.toFixed(4)},${v.x.toFixed(1)},${v.y.toFixed(1)}`;
