/**
 * Which way to lay the await graph out for the panel it is shown in. Left to right is the usual
 * reading of "waits for" and stays whenever it fits at a readable scale; otherwise (a panel beside
 * the editor, about 400 px wide) the direction whose whole graph fits at the larger scale wins, so
 * that a chain of five tasks and locks becomes a column instead of a row shrunk to 3 px text.
 *
 * Pure: no DOM. Both candidate layouts are computed (the graph is capped at a few hundred nodes).
 */
import { DEFAULT_LAYOUT, DOWNWARD_LAYOUT, layoutGraph, type Layout, type LayoutInput, type LayoutOptions } from './layout';

export interface FitLimits {
  /** The smallest scale a fit goes to. */
  readable: number;
  /** The largest. */
  max: number;
  /** Space kept around the graph, in px. */
  pad: number;
}

/** Room the edges' curves take beyond the nodes (arches, loops of back edges), in graph units. */
const CURVES = 60;

/** The scale at which a layout fits a view of this size. */
export function fitScale(l: Pick<Layout, 'width' | 'height'>, view: { width: number; height: number }, limits: FitLimits): number {
  return Math.min(limits.max, (view.width - 2 * limits.pad) / (l.width + CURVES), (view.height - 2 * limits.pad) / (l.height + CURVES));
}

/** Rows of a downward layout take as many nodes side by side as fit the view's width at a readable scale. */
export function downwardOptions(view: { width: number }, limits: FitLimits): LayoutOptions {
  const o = DOWNWARD_LAYOUT;
  const room = (view.width - 2 * limits.pad) / limits.readable - CURVES;
  const perLine = Math.max(1, Math.min(o.maxPerLayer, Math.floor((room + o.columnGap) / (o.nodeWidth + o.columnGap))));
  return { ...o, maxPerLayer: perLine, gridColumns: perLine };
}

export function chooseLayout(input: LayoutInput, view: { width: number; height: number }, limits: FitLimits): { options: LayoutOptions; layout: Layout } {
  const right = layoutGraph(input, DEFAULT_LAYOUT);
  const rightScale = fitScale(right, view, limits);
  if (rightScale >= limits.readable) return { options: DEFAULT_LAYOUT, layout: right };
  const options = downwardOptions(view, limits);
  const down = layoutGraph(input, options);
  return fitScale(down, view, limits) > rightScale ? { options, layout: down } : { options: DEFAULT_LAYOUT, layout: right };
}
