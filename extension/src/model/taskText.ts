/**
 * The words of a Tasks-view row: its description (what the task awaits, with a live countdown for
 * timers; the exception of a failed task; the message of a cancelled one) and its tooltip in
 * Markdown, every value from the program escaped. The wording comes from the protocol's
 * describe.ts, shared with the terminal inspector.
 */
import type { StuckTask } from '../../../runtime/src/protocol/forest';
import {
  describeAwait,
  describeError,
  describeState,
  formatDuration,
  FROZEN,
  isFinishedState,
  shortLocation,
  taskName,
  type DescribeContext,
} from '../../../runtime/src/protocol/describe';
import { memberNames, sharedAwaitWords } from '../../../runtime/src/protocol/locations';
import type { Frame, SlowStepMessage, TaskRecord } from '../../../runtime/src/protocol/wire';
import { formatLongest, formatTaskTime, stepHistogramText, taskTimesNow } from '../../../runtime/src/protocol/taskTimesText';
import { slowStepSentence } from '../../../runtime/src/protocol/slowStepText';
import { codeBlock, escapeMarkdown } from './markdown';

/** The short text after a task's name ("❄ frozen · ready" while the debugger holds it frozen). */
export function taskDescription(t: TaskRecord, ctx: DescribeContext): string {
  const words = stateWords(t, ctx);
  return t.frozen && !isFinishedState(t.state) ? `${FROZEN} · ${words}` : words;
}

function stateWords(t: TaskRecord, ctx: DescribeContext): string {
  switch (t.state) {
    case 'suspended': {
      // A task that caught a cancellation and awaits its clean-up, or one cancelled while the loop is
      // stopped, is still suspended: the pending request is worth a word next to what it awaits.
      const what = t.awaiting ? describeAwait(t.awaiting, ctx) : 'suspended';
      return t.cancelling > 0 ? `${what}, cancelling` : what;
    }
    case 'ready':
    case 'running':
      return t.cancelling > 0 ? `${t.state}, cancelling` : t.state;
    case 'failed':
      return t.error ? describeError(t.error) : 'failed';
    case 'cancelled':
      return t.cancelMessage ? `cancelled: ${t.cancelMessage}` : 'cancelled';
    case 'done':
      return describeState(t);
  }
}

/** The word a stuck task's row starts with: `deadlock` on an await cycle, else `stuck`. */
export function findingWord(finding: StuckTask): 'deadlock' | 'stuck' {
  return finding.reason === 'cycle' ? 'deadlock' : 'stuck';
}

/** A group row's description: what its members share ("suspended: Queue.get on jobs (empty)"). */
export function groupDescription(sample: TaskRecord, ctx: DescribeContext): string {
  if (sample.state === 'suspended' && sample.awaiting) {
    // A sleep's countdown differs per member: say what they share.
    return sample.awaiting.kind === 'sleep' ? 'suspended: sleep' : `suspended: ${describeAwait(sample.awaiting, ctx)}`;
  }
  if (sample.state === 'failed') return `failed: ${sample.error?.name ?? 'Error'}`;
  return sample.state;
}

/**
 * A location group row's description: the resource its tasks wait on, in words, and the first
 * names ("Queue.get on jobs (empty) · worker-1, worker-2, worker-3 and 497 more").
 */
export function locationDescription(members: Iterable<number>, count: number, sample: TaskRecord, ctx: DescribeContext): string {
  const shared = sharedAwaitWords(sample, ctx);
  const names = memberNames(members, count, ctx);
  return shared ? `${shared} · ${names}` : names;
}

function where(f: Frame | undefined): string {
  if (!f) return '';
  const fn = f.function ? ` in ${f.function}` : '';
  return `${shortLocation(f)}${fn}`;
}

/** The tooltip, as Markdown (every program-supplied value escaped). */
export function taskTooltip(t: TaskRecord, ctx: DescribeContext, finding?: StuckTask, slow?: SlowStepMessage): string {
  const e = escapeMarkdown;
  const lines: string[] = [`**${e(t.name)}** \u2014 task #${t.id}`, ''];
  lines.push(`State: ${e(describeState(t))} for ${e(formatDuration(Math.max(0, ctx.now - t.since)))}`);
  if (t.state === 'suspended' && t.awaiting) lines.push(`Awaiting: ${e(describeAwait(t.awaiting, ctx))}`);
  if (t.location) lines.push(`${t.state === 'suspended' ? 'Suspended at' : 'Last suspended at'}: ${e(where(t.location))}${t.locationStale ? ' (may be older)' : ''}`);
  if (t.parentId) lines.push(`Created by: ${e(taskName(t.parentId, ctx))}`);
  if (t.createdAt) lines.push(`Created at: ${e(where(t.createdAt))}`);
  lines.push(`Steps: ${t.steps}`);
  const times = taskTimesNow(t, ctx.now);
  if (times) {
    lines.push(e(`Time: busy ${formatTaskTime(times.busyMs)} · scheduled ${formatTaskTime(times.scheduledMs)} · idle ${formatTaskTime(times.idleMs)}`));
    lines.push(e(`Longest step: ${formatLongest(times.longestStepMs)}${t.timedSteps !== undefined ? ` (of ${t.timedSteps} steps timed)` : ''}`));
    const hist = stepHistogramText(t.stepHistogram, times.steps);
    if (hist) lines.push(`Step durations: ${e(hist)}`);
  }
  if (slow) lines.push('', `$(warning) Slow step: ${e(slowStepSentence(slow))}`);
  if (t.cancelling > 0) lines.push(`Cancellation requested (${t.cancelling})`);
  if (finding) lines.push('', `$(warning) Stuck: ${e(finding.text)}`);
  if (t.state === 'failed' && t.error) {
    lines.push('', e(describeError(t.error)));
    if (t.error.stack) lines.push('', codeBlock(t.error.stack));
  }
  return lines.join('  \n');
}
