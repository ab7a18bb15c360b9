/**
 * The program's process as the session sees it: started by one of the three ways (a child of the
 * adapter, the client's integrated terminal, VS Code's JavaScript debugger), watched until it ends,
 * and killed when the session stops. A process the adapter did not spawn is known by its pid and
 * watched by polling.
 */
import type { ChildProcess } from 'node:child_process';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LaunchArguments } from './dapCustom';
import { jsDebugConfiguration, runInTerminalArguments, spawnProgram, type LaunchPlan } from './launcher';

/** How often a program this adapter did not spawn is checked for having exited. */
const PID_POLL_MS = 500;

/** What the runner needs from the session. */
export interface ProgramHost {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The spawned program started (for the DAP `process` event). */
  started(pid: number): void;
  /** The spawned program exited. */
  exited(code: number | null, signal: NodeJS.Signals | null): void;
  /** A program not spawned here is gone, or could not be started after the launch was answered. */
  ended(message: string): void;
  /** A reverse request to the client (runInTerminal). */
  reverseRequest(command: string, args: unknown, timeoutMs: number, cb: (r: DebugProtocol.Response) => void): void;
  /** Asks the Loopscope extension to start a JavaScript child session with this configuration. */
  startJsDebug(configuration: Record<string, unknown>): void;
}

/** A failure to start, worded for the user. */
export class StartError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class ProgramRunner {
  private child: ChildProcess | null = null;
  private watchedPid: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ProgramHost) {}

  /** True while a program is known to this runner (spawned, or watched by pid). */
  get active(): boolean {
    return this.child !== null || this.watchedPid !== undefined;
  }

  /** True when the adapter spawned the program itself (its exit code is known). */
  get spawned(): boolean {
    return this.child !== null;
  }

  /** Spawns the program; resolves once it runs, rejects (StartError) if it cannot start. */
  startChild(plan: LaunchPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawnProgram(plan, {
        stdout: (text) => this.host.stdout(text),
        stderr: (text) => this.host.stderr(text),
        error: (message) => {
          if (this.child === child) {
            this.child = null;
            this.host.ended(message);
          } else reject(new StartError(message));
        },
        exit: (code, signal) => {
          this.child = null;
          this.host.exited(code, signal);
        },
      });
      child.once('spawn', () => {
        this.child = child;
        this.host.started(child.pid!);
        resolve();
      });
    });
  }

  /** Asks the client to run the program in its integrated terminal. */
  startInTerminal(plan: LaunchPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      this.host.reverseRequest('runInTerminal', runInTerminalArguments(plan), 10_000, (r) => {
        if (!r.success) {
          reject(new StartError(`Cannot start the program in the integrated terminal: ${r.message ?? 'the client refused'}`));
          return;
        }
        // The shell's or the program's pid; the runtime's own pid replaces it once it connects.
        const body = (r as DebugProtocol.RunInTerminalResponse).body;
        const pid = body?.processId ?? body?.shellProcessId;
        if (pid) this.watch(pid);
        resolve();
      });
    });
  }

  /**
   * Asks the extension to run the program under VS Code's JavaScript debugger, as a child session.
   * The program is known by its pid once its runtime connects (adoptPid); a failure comes back
   * through jsDebugFailed.
   */
  startWithJsDebug(args: LaunchArguments, plan: LaunchPlan): void {
    this.host.startJsDebug(jsDebugConfiguration(args, plan));
  }

  /** The extension could not start the JavaScript child session. */
  jsDebugFailed(message: string): void {
    this.host.ended(`Cannot start VS Code's JavaScript debugger for the program: ${message}. Set "jsDebug": false to run it without.`);
  }

  /** The program's own pid (from the runtime's hello), when the adapter did not spawn it. */
  adoptPid(pid: number): void {
    if (this.child === null) this.watch(pid);
  }

  private watch(pid: number): void {
    this.watchedPid = pid;
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.watchedPid !== undefined && !isAlive(this.watchedPid)) {
        this.watchedPid = undefined;
        this.stopWatching();
        this.host.ended('The program exited.');
      }
    }, PID_POLL_MS);
    this.timer.unref?.();
  }

  private stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child && this.child.exitCode === null) this.child.kill(signal);
    else if (this.watchedPid !== undefined && isAlive(this.watchedPid)) {
      try {
        process.kill(this.watchedPid, signal);
      } catch {
        // Gone in the meantime.
      }
    }
  }

  dispose(): void {
    this.stopWatching();
  }
}
