/**
 * A task's call stack as VS Code shows it: the await chain at the task's last suspension (innermost
 * first, in the user's source), a `label` frame at each await boundary, and last, where and by whom
 * the task was created. Failed tasks show their exception's stack first.
 */
import { fileURLToPath } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Frame, TaskDetails, TaskRecord } from '../../runtime/src/protocol/wire';
import { baseName, describeError, describeState, FROZEN, type DescribeContext } from '../../runtime/src/protocol/describe';
import { parseErrorStack } from '../../runtime/src/protocol/errorStack';

/** What a frame id stands for: frames belong to a task (scopes are the task's). */
export interface FrameRef {
  taskId: number;
}

export interface FrameBuilderEnv {
  /** A new frame id for a frame of this task. */
  allocate(ref: FrameRef): number;
  /** Client line/column/path conventions (DAP's linesStartAt1 and friends). */
  line(line: number): number;
  column(column: number): number;
  path(path: string): string;
}

/** A file URL from a stack (ESM) as a path; other strings as they are. */
export function framePath(file: string): string {
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

function isLibrary(path: string): boolean {
  return /[\\/]node_modules[\\/]/.test(path) || path.startsWith('node:');
}

function sourceFrame(env: FrameBuilderEnv, taskId: number, f: Frame, hint?: 'subtle'): DebugProtocol.StackFrame {
  const path = framePath(f.file);
  const source: DebugProtocol.Source = { name: baseName(path), path: env.path(path) };
  if (isLibrary(path)) source.presentationHint = 'deemphasize';
  const frame: DebugProtocol.StackFrame = {
    id: env.allocate({ taskId }),
    name: f.function || '(anonymous)',
    source,
    line: env.line(f.line),
    column: env.column(Math.max(1, f.column)),
  };
  if (hint) frame.presentationHint = hint;
  return frame;
}

function labelFrame(env: FrameBuilderEnv, taskId: number, name: string): DebugProtocol.StackFrame {
  return { id: env.allocate({ taskId }), name, line: 0, column: 0, presentationHint: 'label' };
}

// (Shared with the runtime's agent, which reads where a task raised.)
export { parseErrorStack };

function creatorLabel(task: TaskRecord, details: TaskDetails, ctx: DescribeContext): string {
  if (task.parentId === 0) return 'created by run()';
  const parent = details.creationChain[0];
  const name = parent?.name ?? ctx.task(task.parentId)?.name ?? 'task';
  return `created by ${name} #${task.parentId}`;
}

/**
 * The whole stack of one task, innermost first. `suspendStack` frames are separated by `await`
 * labels; a failed task starts with its exception's frames; the creation part (label + frames,
 * shown subtle) comes last.
 */
export function taskStackFrames(details: TaskDetails, ctx: DescribeContext, env: FrameBuilderEnv): DebugProtocol.StackFrame[] {
  const task = details.task;
  const id = task.id;
  const frames: DebugProtocol.StackFrame[] = [];

  if (task.state === 'failed' && task.error) {
    const errorFrames = parseErrorStack(task.error.stack);
    frames.push(labelFrame(env, id, `failed: ${describeError(task.error)}`));
    for (const f of errorFrames) frames.push(sourceFrame(env, id, f));
  } else if (task.state === 'done' || task.state === 'cancelled') {
    frames.push(labelFrame(env, id, describeState(task, ctx)));
  }

  let suspend = details.suspendStack;
  if (suspend.length === 0 && task.location && (task.state === 'suspended' || task.state === 'ready')) suspend = [task.location];
  if (task.state !== 'failed' && task.state !== 'done' && task.state !== 'cancelled') {
    // Frozen by the debugger: said at the top of its Call Stack, as in its thread name.
    if (task.frozen) frames.push(labelFrame(env, id, `${FROZEN}: it takes no step until thawed`));
    if (suspend.length === 0 && task.state === 'ready' && task.steps === 0) frames.push(labelFrame(env, id, 'not started yet'));
    suspend.forEach((f, i) => {
      if (i > 0) frames.push(labelFrame(env, id, 'await'));
      frames.push(sourceFrame(env, id, f));
    });
  }

  const creation = details.creationStack.length > 0 ? details.creationStack : task.createdAt ? [task.createdAt] : [];
  frames.push(labelFrame(env, id, creatorLabel(task, details, ctx)));
  for (const f of creation) frames.push(sourceFrame(env, id, f, 'subtle'));
  return frames;
}
