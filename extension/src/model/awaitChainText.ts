/**
 * "Copy Await Chain": a task's await chain as plain text — the task, what it awaits, what that
 * awaits, ... (a cycle said as such), its suspension stack and its creation chain.
 */
import type { TaskDetails, Frame } from '../../../runtime/src/protocol/wire';
import { describeTask, shortLocation, taskName, type DescribeContext } from '../../../runtime/src/protocol/describe';

function frameLine(f: Frame): string {
  return `${f.function || '<anonymous>'} (${f.file}:${f.line}:${f.column})`;
}

export function formatAwaitChain(details: TaskDetails, ctx: DescribeContext): string {
  const self = details.task;
  const lines = [describeTask(self, ctx)];
  const chain = details.awaitingChain[0] === self.id ? details.awaitingChain.slice(1) : details.awaitingChain;
  chain.forEach((id, i) => {
    const t = ctx.task(id);
    lines.push(`${'  '.repeat(i + 1)}→ ${t ? describeTask(t, ctx) : taskName(id, ctx)}`);
  });
  if (details.cycle?.length) lines.push(`  ⟲ await cycle: ${[...details.cycle, details.cycle[0]!].map((id) => taskName(id, ctx)).join(' → ')}`);
  if (details.suspendStack.length) {
    lines.push('', 'Suspended at:');
    for (const f of details.suspendStack) lines.push(`  ${frameLine(f)}`);
  }
  if (details.creationChain.length) {
    lines.push('', 'Created by:');
    for (const c of details.creationChain) lines.push(`  ${c.name} #${c.id}${c.createdAt ? ` at ${shortLocation(c.createdAt)}` : ''}`);
  }
  return lines.join('\n');
}
