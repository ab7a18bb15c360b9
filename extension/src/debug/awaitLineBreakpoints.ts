/**
 * Which editor breakpoints belong to Loopscope alone when the program also runs under VS Code's
 * JavaScript debugger. VS Code sends every gutter breakpoint to every session, so a breakpoint on an
 * await line (a `yield*`) would stop twice: first in js-debug as the line starts, before the task
 * suspends, then in Loopscope when it suspends (or resumes). Loopscope's stop also stops js-debug in
 * the agent with the coroutine's frames below, so the locals are there anyway: the await-line
 * breakpoints are taken out of js-debug's setBreakpoints, and its answer gets them back (unverified,
 * saying why) so VS Code's breakpoint-to-answer pairing by position stays right.
 * No `vscode` import: the tracker in jsDebugBreakpoints.ts applies it.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

/** Why js-debug does not have the breakpoint (shown if only its answer is read). */
export const LOOPSCOPE_OWNS_MESSAGE = 'An await line: Loopscope stops here when a task suspends or resumes, with the JavaScript frames.';

/** True when the line awaits (`yield*` outside a line comment). */
export function isAwaitLine(text: string): boolean {
  const comment = text.indexOf('//');
  const code = comment >= 0 ? text.slice(0, comment) : text;
  return /\byield\s*\*/.test(code);
}

/**
 * Removes the await-line breakpoints from a setBreakpoints request (in place: the tracker sees the
 * message VS Code is about to send) and returns their positions in the original list, or null when
 * nothing was removed.
 */
export function takeAwaitLineBreakpoints(args: DebugProtocol.SetBreakpointsArguments, lineText: (line: number) => string | undefined): number[] | null {
  const bps = args.breakpoints;
  if (!bps?.length) return null;
  const taken: number[] = [];
  bps.forEach((bp, i) => {
    // Logpoints are js-debug's to print (Loopscope does not print them).
    if (bp.logMessage === undefined && isAwaitLine(lineText(bp.line) ?? '')) taken.push(i);
  });
  if (!taken.length) return null;
  const keep = (_: unknown, i: number) => !taken.includes(i);
  args.breakpoints = bps.filter(keep);
  if (args.lines) args.lines = args.lines.filter(keep);
  return taken;
}

/** Puts placeholders back into js-debug's answer at the positions taken out of its request. */
export function restoreAnswer(body: { breakpoints: DebugProtocol.Breakpoint[] } | undefined, taken: number[], lines: number[]): void {
  if (!body?.breakpoints) return;
  const out = [...body.breakpoints];
  taken.forEach((pos, k) => out.splice(pos, 0, { verified: false, line: lines[k], message: LOOPSCOPE_OWNS_MESSAGE }));
  body.breakpoints = out;
}
