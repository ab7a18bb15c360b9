/**
 * `loopscope run`: listen for the runtime, start the program with the listener's environment,
 * follow its tasks, and print them live or once (--dump) — at the program's exit, on Ctrl-C, or
 * when it is stuck (--stuck-after). Returns the exit code (see HELP in args.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { relative } from 'node:path';
import { listenForRuntime, type RuntimeConnection } from '../protocol/peer';
import { describeError, formatDuration } from '../protocol/describe';
import { ENV, type LoopClosedMessage, type TaskRecord } from '../protocol/wire';
import { EXIT, type RunOptions } from './args';
import { TaskModel } from './model';
import { printable } from './printable';
import { resolveProgram, startProgram } from './program';
import { analyze, renderJson, renderText, type Analysis, type JsonReport, type View } from './render';
import { locations, locationsJson, renderLocationText } from './renderLocations';
import { LiveScreen, type ScreenOutput } from './screen';
import { LoopBlockLog } from './loopBlocks';
import { NeverAwaitedList } from './neverAwaited';
import { SlowStepList } from './slowSteps';

export interface Terminal {
  stdout: ScreenOutput & { isTTY?: boolean };
  stderr: ScreenOutput;
  env: Record<string, string | undefined>;
  /** Where Ctrl-C (SIGINT), SIGTERM and SIGHUP are heard (the process, in production); returns how to stop listening. */
  onInterrupt(fn: (signal: NodeJS.Signals) => void): () => void;
}

export const processTerminal: Terminal = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt(fn) {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, fn);
    return () => signals.forEach((s) => process.off(s, fn));
  },
};

/** How long the program may run before we say it has not loaded the runtime yet. */
const NOT_LOADED_NOTICE_MS = 5000;
/** After the program exits, how long its last deltas may take to arrive. */
const DRAIN_MS = 1000;
/** How long a program gets to end after SIGINT / SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** How long a dump waits for the program to stop, so that it prints the program's exact state (see exactNow). */
const EXACT_WAIT_MS = 2000;
/** Live JSON lines and the live screen: at most this often. */
const UPDATE_MS = 100;

type Ending =
  | { reason: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  /** Ctrl-C, or loopscope itself told to end: the program gets the same signal. */
  | { reason: 'interrupt'; signal: NodeJS.Signals }
  | { reason: 'stuck'; idleMs: number };

export async function runProgram(opts: RunOptions, term: Terminal = processTerminal): Promise<number> {
  const path = resolveProgram(opts.program);
  const shown = relative(process.cwd(), path) || path;
  // One line each, whatever program text (a path, an error message) it holds.
  const warn = (text: string) => term.stderr.write(`loopscope: ${printable(text)}\n`);
  const color = opts.color ?? (term.stdout.isTTY === true && !term.env.NO_COLOR);
  const live = !opts.dump && !opts.json && term.stdout.isTTY === true;
  const screen = live ? new LiveScreen(term.stdout) : null;

  // Signals are heard from the start: one arriving before the program runs must not leave it orphaned.
  let onSignal: ((signal: NodeJS.Signals) => void) | null = null;
  let early: NodeJS.Signals | null = null;
  const offInterrupt = term.onInterrupt((signal) => (onSignal ? onSignal(signal) : (early ??= signal)));
  let listener: Awaited<ReturnType<typeof listenForRuntime>>;
  try {
    listener = await listenForRuntime({ peer: { name: 'loopscope-cli' }, onRejected: (err) => warn(`refused a connection from a runtime: ${err.message}`) });
  } catch (err) {
    offInterrupt();
    throw err;
  }
  if (early) {
    listener.close();
    offInterrupt();
    return 128 + (constants.signals[early as NodeJS.Signals] ?? 2);
  }
  const childEnv: Record<string, string> = { ...listener.env() };
  // --freeze: the program waits before its first task step until the globs are set (then resumed),
  // so that no matching task runs a step before it is frozen.
  if (opts.freeze.length > 0) childEnv[ENV.stopOnEntry] = '1';
  if (live && color && term.env.FORCE_COLOR === undefined) childEnv.FORCE_COLOR = '1'; // its output is piped through us, to the same terminal
  const startedAt = Date.now();
  const child: ChildProcess = startProgram({ path, args: opts.args, env: childEnv, pipeOutput: live || opts.json });
  if (screen) {
    child.stdout!.on('data', (c: Buffer) => screen.programOutput(c, term.stdout));
    child.stderr!.on('data', (c: Buffer) => screen.programOutput(c, term.stderr));
  } else if (opts.json) {
    // stdout carries JSON only: the program's output goes to stderr.
    child.stdout!.on('data', (c: Buffer) => term.stderr.write(c));
    child.stderr!.on('data', (c: Buffer) => term.stderr.write(c));
  }

  const model = new TaskModel();
  // Coroutines the program made and never awaited: shown under the tree, and in --json.
  const neverAwaited = new NeverAwaitedList();
  // Task steps longer than the runtime's threshold (LOOPSCOPE_SLOW_STEP_MS, 100 ms): under the tree, and in --json.
  const slowSteps = new SlowStepList();
  // Blocked loops, as the runtime's watchdog says them: the one going on above the tree, past ones under it.
  const blocks = new LoopBlockLog();
  let conn: RuntimeConnection | null = null;
  let loopClosed: LoopClosedMessage | null = null;
  let ending: Ending | null = null;
  let childExit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let lastJsonLine = 0;
  let jsonTimer: ReturnType<typeof setTimeout> | null = null;

  const view = (): View => {
    const now = model.now(Date.now());
    return { tasks: [...model.tasks.values()], resources: [...model.resources.values()], now };
  };

  const header = (why: string): string => {
    const tasks = [...model.tasks.values()];
    const unseen = model.droppedTasks > 0 ? ` (+${model.droppedTasks} short-lived, unseen: the inspector fell behind)` : '';
    return printable(`loopscope · ${shown} · ran ${formatDuration(Date.now() - startedAt)} · ${countStates(tasks)}${unseen}${why ? ` · ${why}` : ''}`);
  };

  // The tree under the task creators, or the groups by location (--group-by), limited to --at's site.
  const analyzed = (v: View, idleMs?: number): Analysis => analyze(v, { all: opts.all, idleMs, at: opts.at });
  const textLines = (v: View, a: Analysis, width?: number): string[] =>
    opts.groupBy === 'location' ? renderLocationText(v, a, locations(v, { all: opts.all, at: opts.at }), { color, width, at: opts.at }) : renderText(v, a, { color, width });
  const json = (v: View, a: Analysis, extra: Parameters<typeof renderJson>[2]): JsonReport => {
    const report: JsonReport & { neverAwaited?: ReturnType<NeverAwaitedList['json']> } = renderJson(v, a, extra);
    report.neverAwaited = neverAwaited.json();
    (report as JsonReport & { slowSteps?: ReturnType<SlowStepList['json']> }).slowSteps = slowSteps.json();
    (report as JsonReport & { blocked?: ReturnType<LoopBlockLog['json']> }).blocked = blocks.json(Date.now());
    if (opts.groupBy === 'location') report.locations = locationsJson(v, locations(v, { all: opts.all, at: opts.at }));
    return report;
  };

  const liveFrame = (): string[] => {
    const v = view();
    const width = term.stdout.columns;
    return [
      header(loopClosed ? `run() ended: ${loopClosed.outcome}` : ''),
      ...blocks.nowLines(color, Date.now(), width),
      ...textLines(v, analyzed(v), width),
      ...neverAwaited.lines(color, width),
      ...slowSteps.lines(color, width),
      ...blocks.pastLines(color, width),
    ];
  };

  const emitJsonLine = () => {
    jsonTimer = null;
    lastJsonLine = Date.now();
    const v = view();
    term.stdout.write(JSON.stringify(json(v, analyzed(v), { reason: 'update', program: shown })) + '\n');
  };

  const onChange = () => {
    if (ending) return;
    if (screen) screen.update(liveFrame);
    else if (opts.json && !opts.dump && !jsonTimer) jsonTimer = setTimeout(emitJsonLine, Math.max(0, lastJsonLine + UPDATE_MS - Date.now()));
  };

  listener.accept().then(
    (c) => {
      listener.close(); // one program, one runtime: a child process inheriting the env is not followed
      conn = c;
      c.on('snapshot', (m) => {
        model.applySnapshot(m, Date.now());
        onChange();
      });
      c.on('delta', (m) => {
        // --freeze's tasks are thawed by the runtime once nothing else can run: said, once each.
        for (const t of m.tasks) if (!t.frozen && model.tasks.get(t.id)?.frozen) warn(`thawed ${t.name} (#${t.id}): nothing else could run`);
        model.applyDelta(m, Date.now());
        onChange();
      });
      c.on('neverAwaited', (m) => {
        neverAwaited.add(m);
        onChange();
      });
      c.on('slowStep', (m) => {
        slowSteps.add(m);
        onChange();
      });
      c.on('loopBlocked', (m) => {
        blocks.blocked(m, Date.now());
        onChange();
      });
      c.on('loopUnblocked', (m) => {
        blocks.unblocked(m);
        onChange();
      });
      c.on('loopClosed', (m) => {
        loopClosed = m;
        onChange();
      });
      c.on('protocolError', (m) => warn(`protocol error (${m.code}): ${m.message}`));
      // Locations ("at deadlock.ts:14") need the runtime's stacks; sampled keeps their cost bounded.
      if (opts.freeze.length === 0) c.request('setOptions', { stacks: 'sampled' }).catch(() => {});
      else {
        c.request('setOptions', { stacks: 'sampled', freeze: opts.freeze, thawWhenIdle: true }).catch((e: Error) => warn(`--freeze could not be set: ${e.message}`));
        // The entry stop is let go once it is taken (a resume that arrives before it would be lost),
        // after the globs: requests are answered in order. The inspector asks for no other stop.
        c.on('stopped', () => void c.request('resume', {}).catch(() => {}));
      }
    },
    () => {}, // closed: the program ended without connecting (reported at the end)
  );

  // The live view ticks too: "7.2 s left" counts down without any delta.
  const ticker = screen ? setInterval(() => model.loaded && screen.update(liveFrame), 1000) : null;
  const notLoaded = setTimeout(() => {
    if (!conn && !ending) warn(`${shown} has run ${NOT_LOADED_NOTICE_MS / 1000} s without loading the loopscope runtime (it connects when the program calls run())`);
  }, NOT_LOADED_NOTICE_MS);

  return new Promise<number>((resolve) => {
    /**
     * Brings the tree to the program's state now: a stop sends every change first, whereas the
     * deltas received so far may lag by seconds (100,000 tasks changing at once). Resolves at the
     * stop, at once when no loop runs, or after EXACT_WAIT_MS (a task holding the loop cannot stop).
     */
    const exactNow = (): Promise<void> => {
      const c = conn;
      if (!c || loopClosed) return Promise.resolve();
      return new Promise<void>((done) => {
        const timer = setTimeout(done, EXACT_WAIT_MS);
        const finish = () => {
          clearTimeout(timer);
          done();
        };
        c.on('stopped', finish);
        c.request('pause', {}).then((b) => (b as { paused?: boolean }).paused === false && finish(), finish);
      });
    };
    let confirming = false;
    /** Stuck by the tree received so far: judged again on the exact tree (a lagging delta is no proof). */
    const confirmStuck = (idle: number) => {
      if (confirming) return;
      confirming = true;
      void exactNow().then(() => {
        confirming = false;
        if (ending) return;
        if (analyze(view(), { idleMs: opts.stuckAfterMs }).stuck.size > 0) end({ reason: 'stuck', idleMs: idle });
        else conn?.request('resume', {}).catch(() => {});
      });
    };
    const stuckCheck =
      opts.stuckAfterMs === undefined
        ? null
        : setInterval(
            () => {
              if (ending || !model.loaded || loopClosed) return;
              const idle = Date.now() - model.lastProgressAt;
              if (idle < opts.stuckAfterMs!) return;
              // No progress for that long: stop only if some task is really stuck (not just sleeping).
              const v = view();
              if (analyze(v, { idleMs: opts.stuckAfterMs }).stuck.size > 0) confirmStuck(idle);
            },
            Math.min(200, Math.max(20, opts.stuckAfterMs / 5)),
          );

    let interrupts = 0;
    onSignal = (signal) => {
      interrupts++;
      if (interrupts > 1) child.kill('SIGKILL'); // a second Ctrl-C: no more waiting
      else void exactNow().then(() => end({ reason: 'interrupt', signal }));
    };

    const cleanup = () => {
      if (stuckCheck) clearInterval(stuckCheck);
      if (ticker) clearInterval(ticker);
      if (jsonTimer) clearTimeout(jsonTimer);
      clearTimeout(notLoaded);
      offInterrupt();
      listener.close();
      conn?.close();
    };

    /** Prints the tree once, as the program is now. */
    const printTree = (why: string, ending: Ending) => {
      if (!model.loaded) {
        if (ending.reason !== 'exit') warn(`${why} before ${shown} loaded the loopscope runtime: no tasks to show`);
        return;
      }
      const v = view();
      const idleMs = ending.reason === 'stuck' ? opts.stuckAfterMs : undefined;
      const a = analyzed(v, idleMs);
      if (opts.json) {
        const extra = ending.reason === 'exit' ? { exitCode: ending.code, signal: ending.signal } : ending.reason === 'stuck' ? { idleMs: ending.idleMs } : {};
        term.stdout.write(JSON.stringify(json(v, a, { reason: ending.reason, program: shown, ...extra })) + '\n');
        return;
      }
      term.stdout.write([header(why), ...blocks.nowLines(color, Date.now()), ...textLines(v, a), ...neverAwaited.lines(color), ...slowSteps.lines(color), ...blocks.pastLines(color)].join('\n') + '\n');
    };

    const end = (e: Ending) => {
      if (ending) return;
      ending = e;
      screen?.close();
      if (e.reason === 'exit') {
        const code = exitCode(e.code, e.signal);
        if (!conn) {
          warn(
            `${shown} ${describeExit(e.code, e.signal)} without loading the loopscope runtime: nothing to show. ` +
              `It must import 'loopscope' (this package) and start its tasks with run(); a program that has its own copy of the runtime needs one that speaks protocol version 1.`,
          );
          cleanup();
          // A crash says more than "no runtime": its own code comes back.
          resolve(code !== 0 ? code : EXIT.noRuntime);
          return;
        }
        printTree(describeExit(e.code, e.signal), e);
        if (loopClosed?.outcome === 'failed' && loopClosed.error) warn(`the main task failed: ${describeError(loopClosed.error)}`);
        if (code !== 0) warn(`${shown} ${describeExit(e.code, e.signal)}`);
        cleanup();
        resolve(code);
        return;
      }
      // Interrupted or stuck: print the tree as it is now, then stop the program.
      if (e.reason === 'stuck') {
        printTree(`stuck: no task made progress for ${formatDuration(e.idleMs)}`, e);
        warn(`stuck: no task made progress for ${formatDuration(e.idleMs)}; stopping ${shown}`);
      } else {
        printTree(e.signal === 'SIGINT' ? 'interrupted' : `interrupted by ${e.signal}`, e);
      }
      const code = e.reason === 'stuck' ? EXIT.stuck : 128 + (constants.signals[e.signal] ?? 2);
      stop(e.reason === 'stuck' ? 'SIGTERM' : e.signal).then(() => {
        cleanup();
        resolve(code);
      });
    };

    /** Ends the program with `signal`, then SIGKILL if it lingers; resolves once it is gone. */
    const stop = (signal: NodeJS.Signals): Promise<void> =>
      new Promise((done) => {
        if (childExit) return done();
        child.once('exit', () => done());
        child.kill(signal);
        setTimeout(() => {
          if (!childExit) child.kill('SIGKILL');
        }, KILL_GRACE_MS).unref();
      });

    child.on('exit', (code, signal) => {
      childExit = { code, signal };
    });
    child.on('error', (err) => {
      warn(`could not start ${process.execPath}: ${err.message}`);
      if (!ending) {
        ending = { reason: 'exit', code: 1, signal: null };
        cleanup();
        resolve(1);
      }
    });
    // 'close': the program exited and its output is all read. Its last deltas may still be on the way.
    child.on('close', (code, signal) => {
      const finish = () => end({ reason: 'exit', code, signal });
      if (!conn || conn.closed) return finish();
      const timer = setTimeout(finish, DRAIN_MS);
      conn.on('close', () => {
        clearTimeout(timer);
        finish();
      });
    });
  });
}

/** `3 tasks: 2 suspended, 1 done`. */
function countStates(tasks: readonly TaskRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const order = ['running', 'ready', 'suspended', 'failed', 'cancelled', 'done'];
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return `${tasks.length} task${tasks.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** The program's exit code the way a shell reports it (128 + N for a signal). */
function exitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 1);
  return code ?? 1;
}
