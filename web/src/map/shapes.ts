// The role marker shapes on a canvas (one visual language: mesh.ts ROLE_GLYPH): repeater
// diamond, companion circle, room square, sensor triangle, observer star, unknown ring.
import type { RoleKey } from '../app/mesh';

/** Traces the role's shape centred on (x, y) with "radius" r (the caller fills / strokes). */
export function traceRoleShape(
  ctx: CanvasRenderingContext2D,
  role: RoleKey,
  x: number,
  y: number,
  r: number,
) {
  ctx.beginPath();
  switch (role) {
    case 'repeater':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.2, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r * 1.2, y);
      ctx.closePath();
      break;
    case 'room':
      ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 'sensor':
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.1, y + r * 0.85);
      ctx.lineTo(x - r * 1.1, y + r * 0.85);
      ctx.closePath();
      break;
    case 'observer':
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? r * 1.3 : r * 0.55;
        const px = x + rr * Math.cos(a);
        const py = y + rr * Math.sin(a);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.closePath();
      break;
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2);
  }
}

/** An SVG string of the same shape (legends, route end markers), `size` px square. */
export function roleShapeSvg(role: RoleKey, color: string, size = 14, stroke = 'currentColor'): string {
  const c = size / 2;
  const r = size * 0.36;
  let d: string;
  if (role === 'repeater')
    d = `M${c} ${c - r * 1.2}L${c + r * 1.2} ${c}L${c} ${c + r * 1.2}L${c - r * 1.2} ${c}Z`;
  else if (role === 'room') d = `M${c - r} ${c - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
  else if (role === 'sensor')
    d = `M${c} ${c - r * 1.15}L${c + r * 1.1} ${c + r * 0.85}L${c - r * 1.1} ${c + r * 0.85}Z`;
  else d = `M${c - r} ${c}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true"><path d="${d}" fill="${color}" stroke="${stroke}" stroke-width="1.5"/></svg>`;
}
