/**
 * A layered (Sugiyama-style) layout for the await graph, left to right or top to bottom: each edge
 * points from a waiter to what it waits for, so waiters sit in the first layers (columns, or rows
 * when laid out downwards) and what they wait on after them. Steps: break cycles (edges closing a
 * depth-first cycle are "back" edges, drawn curved), put each node one layer after its furthest
 * predecessor, order each layer by the mean position of its neighbours (a few sweeps, to uncross
 * edges; a layer with too many nodes wraps into several lines), then stack the connected groups top
 * to bottom in the order their first node comes in `keys` (callers put what matters most first)
 * and pack lone nodes in a grid below them.
 *
 * Downwards is for a panel narrower than it is tall: a chain of five 200-unit nodes side by side
 * needs over 1,200 units of width, stacked only 200.
 *
 * Pure: no DOM. Positions are node centres.
 */

export interface LayoutInput {
  keys: readonly string[];
  edges: readonly { from: string; to: string }[];
}

export type LayoutDirection = 'right' | 'down';

export interface LayoutOptions {
  /** Where the layers follow each other: 'right' (columns) or 'down' (rows). */
  direction: LayoutDirection;
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between nodes side by side. */
  columnGap: number;
  /** Vertical space between nodes one above the other. */
  rowGap: number;
  /** Lone nodes per grid row. */
  gridColumns: number;
  /** A layer with more nodes than this wraps into several lines (a gather of 300 tasks stays readable). */
  maxPerLayer: number;
}

export interface Layout {
  pos: Map<string, { x: number; y: number }>;
  /** Indices (into input.edges) of edges drawn against the flow (they close a cycle). */
  back: Set<number>;
  /** Indices of forward edges that skip columns (drawn arching over the columns between). */
  long: Set<number>;
  width: number;
  height: number;
}

/** Columns: the gap between them leaves room for the edges' curves and arrow heads. */
export const DEFAULT_LAYOUT: LayoutOptions = { direction: 'right', nodeWidth: 200, nodeHeight: 44, columnGap: 60, rowGap: 22, gridColumns: 4, maxPerLayer: 16 };

/** Rows: edges run between them, so rows are further apart than nodes side by side. */
export const DOWNWARD_LAYOUT: LayoutOptions = { direction: 'down', nodeWidth: 200, nodeHeight: 44, columnGap: 24, rowGap: 40, gridColumns: 4, maxPerLayer: 16 };

export function layoutGraph(input: LayoutInput, o: LayoutOptions = DEFAULT_LAYOUT): Layout {
  const index = new Map<string, number>();
  input.keys.forEach((k, i) => index.set(k, i));
  const n = input.keys.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const outEdge: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Array<number>(n).fill(0);
  input.edges.forEach((e, i) => {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined) throw new Error(`layoutGraph: edge ${e.from} -> ${e.to} names a node that is not in the graph`);
    out[a].push(b);
    outEdge[a].push(i);
    indeg[b]++;
  });

  // 1. Back edges, by an iterative depth-first search started at sources (then at whatever is left: pure cycles).
  const back = new Set<number>();
  const color = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const starts = [...Array(n).keys()].sort((a, b) => Number(indeg[a] > 0) - Number(indeg[b] > 0) || a - b);
  for (const s of starts) {
    if (color[s] !== 0) continue;
    const stack: { v: number; i: number }[] = [{ v: s, i: 0 }];
    color[s] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i < out[top.v].length) {
        const j = top.i++;
        const w = out[top.v][j];
        if (color[w] === 1) back.add(outEdge[top.v][j]);
        else if (color[w] === 0) {
          color[w] = 1;
          stack.push({ v: w, i: 0 });
        }
      } else {
        color[top.v] = 2;
        stack.pop();
      }
    }
  }

  // Forward adjacency (without back edges), both directions.
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  input.edges.forEach((e, i) => {
    if (back.has(i)) return;
    const a = index.get(e.from)!;
    const b = index.get(e.to)!;
    if (a === b) return;
    succ[a].push(b);
    pred[b].push(a);
  });

  // 2. Columns: longest path from the sources (Kahn's order over the acyclic forward edges).
  const layer = new Array<number>(n).fill(0);
  const remaining = pred.map((p) => p.length);
  const topo: number[] = [];
  for (let v = 0; v < n; v++) if (remaining[v] === 0) topo.push(v);
  for (let i = 0; i < topo.length; i++) {
    const v = topo[i];
    for (const w of succ[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--remaining[w] === 0) topo.push(w);
    }
  }

  // Connected groups, ignoring direction (back edges included).
  const group = new Array<number>(n).fill(-1);
  const groups: number[][] = [];
  const undirected: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    for (const b of out[a]) {
      undirected[a].push(b);
      undirected[b].push(a);
    }
  }
  for (let s = 0; s < n; s++) {
    if (group[s] >= 0) continue;
    const g = [s];
    group[s] = groups.length;
    for (let i = 0; i < g.length; i++) {
      for (const w of undirected[g[i]]) {
        if (group[w] >= 0) continue;
        group[w] = groups.length;
        g.push(w);
      }
    }
    groups.push(g);
  }

  const pos = new Map<string, { x: number; y: number }>();
  const colW = o.nodeWidth + o.columnGap;
  const rowH = o.nodeHeight + o.rowGap;
  const down = o.direction === 'down';
  // Along the layers and across them: the step from one layer (or wrapped line) to the next, and
  // from one node to the next within a line.
  const alongStep = down ? rowH : colW;
  const acrossStep = down ? colW : rowH;
  // Below a group: room for back edges curving under it (in columns), a gap (in rows).
  const groupGap = down ? o.rowGap : o.rowGap * 3;
  let y0 = 0;
  let height = 0;
  let width = 0;
  const singles: number[] = [];

  for (const g of groups) {
    if (g.length === 1) {
      singles.push(g[0]);
      continue;
    }
    // 3. Order within layers by barycentre sweeps.
    const cols: number[][] = [];
    for (const v of g.sort((a, b) => a - b)) (cols[layer[v]] ??= []).push(v);
    const rank = new Map<number, number>();
    cols.forEach((c) => c?.forEach((v, i) => rank.set(v, i)));
    const sweep = (c: number[], neighbours: number[][]) => {
      const bary = new Map<number, number>();
      for (const v of c) {
        const ns = neighbours[v];
        bary.set(v, ns.length ? ns.reduce((s, w) => s + rank.get(w)!, 0) / ns.length : rank.get(v)!);
      }
      c.sort((a, b) => bary.get(a)! - bary.get(b)! || rank.get(a)! - rank.get(b)!);
      c.forEach((v, i) => rank.set(v, i));
    };
    for (let it = 0; it < 4; it++) {
      for (let l = 1; l < cols.length; l++) if (cols[l]) sweep(cols[l], pred);
      for (let l = cols.length - 2; l >= 0; l--) if (cols[l]) sweep(cols[l], succ);
    }
    // Each layer takes as many lines as it needs to stay within maxPerLayer nodes a line.
    const span = cols.map((c) => Math.max(1, Math.ceil((c?.length ?? 0) / o.maxPerLayer)));
    const perLine = cols.map((c, l) => Math.ceil((c?.length ?? 0) / span[l]));
    const widest = Math.max(...perLine);
    // Local coordinates of node tops / lefts: `along` the layers, `across` them.
    let along = 0;
    const local: { v: number; along: number; across: number }[] = [];
    cols.forEach((c, l) => {
      if (c) {
        const n = perLine[l];
        const offset = ((widest - n) * acrossStep) / 2;
        c.forEach((v, i) => local.push({ v, along: along + Math.floor(i / n) * alongStep, across: offset + (i % n) * acrossStep }));
      }
      along += span[l] * alongStep;
    });
    const alongSize = along - (down ? o.rowGap : o.columnGap);
    const acrossSize = widest * acrossStep - (down ? o.columnGap : o.rowGap);
    for (const p of local) {
      const x = down ? p.across : p.along;
      const y = y0 + (down ? p.along : p.across);
      pos.set(input.keys[p.v], { x: x + o.nodeWidth / 2, y: y + o.nodeHeight / 2 });
    }
    width = Math.max(width, down ? acrossSize : alongSize);
    height = y0 + (down ? alongSize : acrossSize);
    y0 = height + groupGap;
  }

  // 4. Lone nodes in a grid.
  const perRow = Math.max(1, o.gridColumns);
  singles.sort((a, b) => a - b).forEach((v, i) => {
    const r = Math.floor(i / perRow);
    const c = i % perRow;
    pos.set(input.keys[v], { x: c * colW + o.nodeWidth / 2, y: y0 + r * rowH + o.nodeHeight / 2 });
  });
  if (singles.length > 0) {
    width = Math.max(width, Math.min(singles.length, perRow) * colW - o.columnGap);
    height = y0 + Math.ceil(singles.length / perRow) * rowH - o.rowGap;
  }
  const long = new Set<number>();
  input.edges.forEach((e, i) => {
    if (!back.has(i) && layer[index.get(e.to)!] - layer[index.get(e.from)!] > 1) long.add(i);
  });
  return { pos, back, long, width, height };
}
