/**
 * The SVG path of one await-graph edge, between node centres a and b of a layout (layout.ts),
 * leaving a's side facing the next layer and entering b's side facing the previous one: an S-curve
 * to the next layer; an edge that skips layers runs past the nodes between, on the side before
 * them (above columns, left of rows); a backward edge (closing a cycle) loops round the far side
 * (below columns, right of rows).
 *
 * Written once in layer terms, `along` the layers and `across` them, and turned into x / y by the
 * direction.
 */
import type { LayoutDirection } from './layout';

export type EdgeRoute = 'plain' | 'arch' | 'back';

export function edgePath(a: { x: number; y: number }, b: { x: number; y: number }, size: { w: number; h: number }, direction: LayoutDirection, route: EdgeRoute): string {
  const down = direction === 'down';
  const halfAlong = (down ? size.h : size.w) / 2;
  const halfAcross = (down ? size.w : size.h) / 2;
  const pt = (along: number, across: number) => (down ? `${across} ${along}` : `${along} ${across}`);
  const a1 = (down ? a.y : a.x) + halfAlong;
  const c1 = down ? a.x : a.y;
  const a2 = (down ? b.y : b.x) - halfAlong;
  const c2 = down ? b.x : b.y;
  // How far a curve runs straight out of a node before bending: less between the closer rows.
  const bend = down ? 40 : 60;
  if (route === 'back') {
    const beyond = Math.max(c1, c2) + halfAcross + 18;
    return `M ${pt(a1, c1)} C ${pt(a1 + bend, c1)}, ${pt(a1 + bend, beyond)}, ${pt((a1 + a2) / 2, beyond)} S ${pt(a2 - bend, c2)}, ${pt(a2, c2)}`;
  }
  if (route === 'arch') {
    // Out into the gap after a, straight past the nodes between (clear of them), back in before b.
    const before = Math.min(c1, c2) - halfAcross - 14;
    const turn = Math.min(bend / 2, (a2 - a1) / 4);
    return `M ${pt(a1, c1)} C ${pt(a1 + turn, c1)}, ${pt(a1, before)}, ${pt(a1 + turn, before)} L ${pt(a2 - turn, before)} C ${pt(a2, before)}, ${pt(a2 - turn, c2)}, ${pt(a2, c2)}`;
  }
  const d = Math.max(down ? 16 : 30, (a2 - a1) / 2);
  return `M ${pt(a1, c1)} C ${pt(a1 + d, c1)}, ${pt(a2 - d, c2)}, ${pt(a2, c2)}`;
}
