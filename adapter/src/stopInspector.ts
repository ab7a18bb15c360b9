/**
 * What the user inspects while the loop is stopped: each task's stack (frame ids), its Task and
 * Awaiting scopes (variable references), its exception. Everything here is valid for one stop: the
 * session resets it when the loop runs again. Task details come from the runtime once per task per
 * stop and refresh the task store.
 */
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TaskDetails, TaskRecord } from '../../runtime/src/protocol/wire';
import type { TaskStore } from './taskStore';
import { taskStackFrames, type FrameRef } from './stackFrames';
import { awaitingVariables, errorVariables, resourceVariables, taskListVariables, taskVariables, type VariableEnv, type VariableRef } from './variables';

/** The client's line/column/path conventions. */
export interface ClientConventions {
  line(line: number): number;
  column(column: number): number;
  path(path: string): string;
}

/** A runtime error with a code (ProtocolError from peer.ts). */
function errorCode(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}

export class StopInspector {
  private frames = new Handles<FrameRef>();
  private refs = new Handles<VariableRef>();
  private readonly pending = new Map<number, Promise<TaskDetails>>();
  private readonly fetched = new Map<number, TaskDetails>();

  constructor(
    private readonly store: TaskStore,
    /** Asks the runtime for a task's details (throws when not connected). */
    private readonly fetch: (taskId: number) => Promise<TaskDetails>,
  ) {}

  /** The loop runs again: every frame id and variable reference of the last stop is void. */
  reset(): void {
    this.frames.reset();
    this.refs.reset();
    this.pending.clear();
    this.fetched.clear();
  }

  /** A command changed the task during this stop (a cancel): its details are read again when next asked. */
  forget(taskId: number): void {
    this.pending.delete(taskId);
    this.fetched.delete(taskId);
  }

  /** Details that came with the stop message: this stop's answer for that task, without asking. */
  prime(details: TaskDetails): void {
    this.keep(details.task.id, details);
    this.pending.set(details.task.id, Promise.resolve(details));
  }

  /** This stop's details of a task: the task store refreshed from them. */
  private keep(taskId: number, d: TaskDetails): void {
    this.store.upsert(d.task);
    this.store.upsertResources(d.resources);
    this.fetched.set(taskId, d);
  }

  /** A task's details for this stop (fetched once). */
  details(taskId: number): Promise<TaskDetails> {
    let p = this.pending.get(taskId);
    if (!p) {
      p = this.fetch(taskId);
      p.then(
        (d) => this.keep(taskId, d),
        () => this.pending.delete(taskId),
      );
      this.pending.set(taskId, p);
    }
    return p;
  }

  /** The stack of one task, or a page of it. */
  async stackTrace(taskId: number, conventions: ClientConventions, startFrame = 0, levels = 0): Promise<DebugProtocol.StackTraceResponse['body']> {
    let details: TaskDetails;
    try {
      details = await this.details(taskId);
    } catch (e) {
      // A finished task the runtime already forgot, or a program that ended while its last stop was
      // being read ('closed'): what the task's last record says (state, exception, where it was created).
      const code = errorCode(e);
      if (code !== 'unknown-task' && code !== 'closed') throw e;
      const known = this.store.get(taskId);
      if (!known) {
        return { stackFrames: [{ id: this.frames.create({ taskId }), name: `task #${taskId} is gone`, line: 0, column: 0, presentationHint: 'label' }], totalFrames: 1 };
      }
      details = { task: known, suspendStack: [], creationStack: [], creationChain: [], awaitingChain: [], awaitedBy: [], resources: [], children: [] };
    }
    const all = taskStackFrames(details, this.store.describeContext(), { allocate: (ref) => this.frames.create(ref), ...conventions });
    const end = levels > 0 ? startFrame + levels : undefined;
    return { stackFrames: all.slice(startFrame, end), totalFrames: all.length };
  }

  /** A frame's scopes: the task's (every frame of a stack belongs to one task), and what it awaits. */
  scopes(frameId: number): DebugProtocol.Scope[] {
    const ref = this.frames.get(frameId);
    if (!ref) return [];
    const task = this.record(ref.taskId);
    const scopes: DebugProtocol.Scope[] = [{ name: 'Task', variablesReference: this.refs.create({ kind: 'task', taskId: ref.taskId }), expensive: false }];
    if (task?.state === 'suspended' && task.awaiting) {
      scopes.push({ name: 'Awaiting', variablesReference: this.refs.create({ kind: 'awaiting', taskId: ref.taskId }), expensive: false });
    }
    return scopes;
  }

  async variables(reference: number, start = 0, count?: number): Promise<DebugProtocol.Variable[]> {
    const ref = this.refs.get(reference);
    if (!ref) return [];
    // A task reached by expanding a link has no details yet: fetch them (children, awaited-by, chains).
    if ((ref.kind === 'task' || ref.kind === 'awaiting') && !this.fetched.has(ref.taskId)) await this.details(ref.taskId).catch(() => undefined);
    const env: VariableEnv = {
      ctx: this.store.describeContext(),
      ref: (r) => this.refs.create(r),
      details: (id) => this.fetched.get(id),
      resource: (id) => this.store.resource(id),
      awaitersOf: (id) => this.store.awaitersOf(id).map((t) => t.id),
    };
    switch (ref.kind) {
      case 'task':
        return taskVariables(ref.taskId, env);
      case 'awaiting':
        return awaitingVariables(ref.taskId, env);
      case 'tasks':
        return taskListVariables(ref.taskIds, env, start, count || undefined);
      case 'error':
        return errorVariables(ref.taskId, env);
      case 'resource':
        return resourceVariables(ref.resourceId, env, ref.exceptTaskId);
    }
  }

  /** The exception of a failed (or cancelled) task; undefined when it has none. */
  async exceptionInfo(taskId: number, unhandled: boolean): Promise<DebugProtocol.ExceptionInfoResponse['body'] | undefined> {
    const details = await this.details(taskId).catch(() => undefined);
    const task = details?.task ?? this.store.get(taskId);
    if (task?.state === 'cancelled') {
      return { exceptionId: 'CancelledError', description: task.cancelMessage ? `cancelled: ${task.cancelMessage}` : 'cancelled', breakMode: 'always' };
    }
    if (!task?.error) return undefined;
    return {
      exceptionId: task.error.name || 'Error',
      description: task.error.message,
      breakMode: unhandled ? 'unhandled' : 'always',
      details: { message: task.error.message, typeName: task.error.name, stackTrace: task.error.stack },
    };
  }

  /** The freshest record of a task: from this stop's details, else the store. */
  record(taskId: number): TaskRecord | undefined {
    return this.fetched.get(taskId)?.task ?? this.store.get(taskId);
  }
}
