/**
 * How the adapter fits into VS Code: the capabilities it announces (breakpoint modes, lifecycle
 * filters with conditions, Terminate Thread), running the program under VS Code's JavaScript debugger
 * as a child session (the extension starts a pwa-node session when asked), and in the integrated terminal
 * (runInTerminal). The test plays the editor's part in the reverse requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { PROGRAMS, ROOT, answerReverseRequests, initializeLikeVSCode, lineOf, nextStop, programLaunch, startSession, type Session } from './harness';

const WORKERS = join(PROGRAMS, 'workers.ts');

let s: Session | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts a program the way the client would for a reverse request; its output is collected. */
function startLikeClient(command: string, args: string[], cwd: string, env: Record<string, string | null>) {
  const merged: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [k, v] of Object.entries(env)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const p = spawn(command, args, { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { text: '' };
  p.stdout!.on('data', (d) => (out.text += d));
  p.stderr!.on('data', (d) => (out.text += d));
  const exit = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  return { p, out, exit };
}

describe('capabilities', () => {
  it('announces breakpoint modes, the lifecycle filters with task-name conditions, and Terminate Thread', async () => {
    s = await startSession();
    const caps = await initializeLikeVSCode(s.dc);
    expect(caps.breakpointModes!.map((m) => [m.mode, m.label, m.appliesTo])).toEqual([
      ['suspend', 'On suspend', ['source']],
      ['resume', 'On resume', ['source']],
    ]);
    expect(caps.exceptionBreakpointFilters!.map((f) => f.filter)).toEqual(['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException']);
    expect(caps.exceptionBreakpointFilters!.every((f) => f.supportsCondition && /worker-\*/.test(f.conditionDescription!))).toBe(true);
    expect(caps).toMatchObject({
      supportsTerminateThreadsRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsExceptionFilterOptions: true,
      supportsConfigurationDoneRequest: true,
    });
  });
});

describe("VS Code's JavaScript debugger as a child session", () => {
  it('asks the extension (loopscope/startJsDebug) to start a pwa-node session running the program with the runtime pointed at the adapter', async () => {
    s = await startSession();
    const requests = answerReverseRequests(s.dc, (command) => {
      throw new Error(`unexpected ${command}`);
    });
    // Play the extension and js-debug: run the program as the configuration says.
    const asked = s.dc.waitForEvent('loopscope/startJsDebug').then((e) => {
      const c = (e.body as { configuration: Record<string, any> }).configuration;
      child = startLikeClient(c.runtimeExecutable, [...c.runtimeArgs, c.program, ...c.args], c.cwd, c.env).p;
      return c;
    });
    await initializeLikeVSCode(s.dc);
    await s.dc.launchRequest(programLaunch(WORKERS, { jsDebug: true, __jsDebugByExtension: true, args: ['--flag'] }) as never);
    await s.dc.setBreakpointsRequest({ source: { path: WORKERS }, breakpoints: [{ line: lineOf(WORKERS, 'sleep'), condition: 'worker-2' }] });
    await s.dc.configurationDoneRequest();

    const stop = await nextStop(s);
    expect(stop.description).toBe(`worker-2 suspends at workers.ts:${lineOf(WORKERS, 'sleep')}`);

    // No reverse request: VS Code would start a child of the adapter's own type (loopscope again).
    expect(requests).toEqual([]);
    const c = await asked;
    expect(c).toMatchObject({ type: 'pwa-node', request: 'launch', program: WORKERS, args: ['--flag'], cwd: PROGRAMS, outputCapture: 'std', console: 'internalConsole' });
    expect(c.runtimeArgs[0]).toBe('--import');
    expect(c.runtimeArgs[1]).toMatch(/^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
    expect(Object.keys(c.env)).toEqual(expect.arrayContaining(['LOOPSCOPE_CONNECT', 'LOOPSCOPE_SECRET', 'TSX_TSCONFIG_PATH']));
    expect(c.env.LOOPSCOPE_STOP_ON_ENTRY).toBe('1');
    // Stepping into the scheduler is skipped: the runtime's own folder (this repository's runtime/)
    // and any copy in a node_modules folder, by source file through the bundle's source map: every
    // folder of runtime/src but jsStop/, the `debugger` statement of the stop into the JavaScript
    // debugger (V8 ignores one in skipped code). test/adapter/jsDebugSkip.test.ts checks the patterns.
    const src = join(ROOT, 'runtime', 'src');
    const folders = readdirSync(src, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'jsStop');
    expect(c.skipFiles).toEqual(expect.arrayContaining(['<node_internals>/**', `${src}/*.ts`, ...folders.map((d) => `${src}/${d.name}/**`)]));
    expect(c.skipFiles.some((g: string) => g.includes('jsStop'))).toBe(false);
    expect(c.resolveSourceMapLocations).toEqual([`${PROGRAMS}/**`, '!**/node_modules/**', `${join(ROOT, 'runtime')}/**`, '**/node_modules/loopscope/**']);

    // Stopping the session ends the program the child session runs (the adapter knows its pid from the runtime).
    const exited = new Promise((r) => child!.on('exit', (_code, signal) => r(signal)));
    await s.dc.disconnectRequest({});
    s = undefined;
    expect(await exited).toBe('SIGKILL');
  });

  it('ends the session with the reason when the extension cannot start the JavaScript debugger', async () => {
    s = await startSession();
    await initializeLikeVSCode(s.dc);
    const asked = s.dc.waitForEvent('loopscope/startJsDebug');
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.launchRequest(programLaunch(WORKERS, { jsDebug: true, __jsDebugByExtension: true }) as never);
    await s.dc.configurationDoneRequest();
    await asked;
    await s.dc.customRequest('loopscope/jsDebugFailed', { message: "Configured debug type 'pwa-node' is not supported" });
    await terminated;
    expect(s.output()).toContain(`Cannot start VS Code's JavaScript debugger for the program: Configured debug type 'pwa-node' is not supported. Set "jsDebug": false to run it without.`);
  });

  it('runs the program itself, and says so, when a client other than the extension asks for jsDebug', async () => {
    s = await startSession();
    const requests = answerReverseRequests(s.dc, () => ({}));
    await initializeLikeVSCode(s.dc);
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.launchRequest(programLaunch(WORKERS, { jsDebug: true }) as never);
    await s.dc.configurationDoneRequest();
    await terminated;
    expect(requests).toEqual([]);
    expect(s.output()).toContain("'jsDebug' needs the Loopscope extension in VS Code");
    expect(s.output()).toContain('results 6,6');
  });

  it('runs the program itself when jsDebug is false, even in VS Code', async () => {
    s = await startSession();
    const requests = answerReverseRequests(s.dc, () => ({}));
    await initializeLikeVSCode(s.dc);
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.launchRequest(programLaunch(WORKERS) as never);
    await s.dc.configurationDoneRequest();
    await terminated;
    expect(requests).toEqual([]);
    expect(s.output()).toContain('results 6,6');
  });
});

describe('the integrated terminal', () => {
  it('starts the program through runInTerminal, and ends the session when it exits', async () => {
    s = await startSession();
    let started: ReturnType<typeof startLikeClient> | undefined;
    const requests = answerReverseRequests(s.dc, (command, args) => {
      if (command !== 'runInTerminal') throw new Error(`unexpected ${command}`);
      const [cmd, ...rest] = args.args as string[];
      started = startLikeClient(cmd, rest, args.cwd, args.env);
      child = started.p;
      return { processId: started.p.pid };
    });
    await initializeLikeVSCode(s.dc);
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.launchRequest(programLaunch(WORKERS, { console: 'integratedTerminal' }) as never);
    await s.dc.configurationDoneRequest();
    await terminated;
    expect(requests.map((r) => r.command)).toEqual(['runInTerminal']);
    const args = requests[0].arguments as { kind: string; title: string; args: string[] };
    expect(args.kind).toBe('integrated');
    expect(args.title).toBe('Loopscope: workers.ts');
    expect(args.args.slice(-1)).toEqual([WORKERS]);
    expect(args.args).toContain('--enable-source-maps');
    // The output went to the terminal, not the Debug Console.
    expect(started!.out.text).toContain('results 6,6');
    expect(s.output()).not.toContain('results 6,6');
    expect(s.output()).toContain('The program exited.');
  });
});
