/**
 * What VS Code's JavaScript debugger skips of the runtime (the pwa-node configuration's skipFiles),
 * for a program that imports the runtime from its own node_modules (as the README's quick start
 * installs it) and for this repository's runtime/: every runtime source but the `debugger`
 * statement's (jsStop/), so that at a Loopscope stop the frames between that statement and the
 * user's coroutine are all skipped. Patterns are checked with micromatch, as js-debug matches them
 * (src/adapter/scriptSkipper/implementation.ts: micromatch([path], globs, { dot: true })).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { jsDebugConfiguration, planLaunch } from '../../adapter/src/launcher';
import { ROOT } from './harness';

// js-debug's matcher (a dependency of the build tools here; it ships no types).
const micromatch = createRequire(import.meta.url)('micromatch') as (list: string[], patterns: string[], options?: { dot?: boolean }) => string[];

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A user's project with the runtime installed as a package: main.ts and node_modules/loopscope (package.json, dist/, src/ as packed). */
function projectWithInstalledRuntime(): { project: string; runtime: string; program: string } {
  const project = realpathSync(mkdtempSync(join(tmpdir(), 'loopscope-skip-')));
  made.push(project);
  const runtime = join(project, 'node_modules', 'loopscope');
  for (const dir of ['dist', 'src/agent', 'src/jsStop', 'src/primitives', 'src/combinators', 'src/protocol', 'src/cli', 'src/sites']) mkdirSync(join(runtime, dir), { recursive: true });
  writeFileSync(join(runtime, 'package.json'), JSON.stringify({ name: 'loopscope', version: '0.1.0', exports: { '.': { import: './dist/index.js' }, './package.json': './package.json' } }));
  for (const f of ['dist/index.js', 'src/index.ts', 'src/task.ts', 'src/agent/control.ts', 'src/agent/session.ts', 'src/jsStop/breakIntoJsDebugger.ts', 'src/primitives/lock.ts']) writeFileSync(join(runtime, f), '');
  const program = join(project, 'main.ts');
  writeFileSync(program, "import { run } from 'loopscope';\n");
  return { project, runtime, program };
}

function skipped(globs: string[], path: string): boolean {
  return micromatch([path], globs.filter((g) => !g.startsWith('<node_internals>')), { dot: true }).length > 0;
}

function configFor(program: string) {
  const plan = planLaunch({ program } as never, {});
  if (!plan.ok) throw new Error(plan.message);
  return jsDebugConfiguration({ program } as never, plan.value);
}

describe("the JavaScript debugger's skipFiles", () => {
  it('skip every source of a runtime installed in node_modules but its debugger statement, and none of the program', () => {
    const { project, runtime, program } = projectWithInstalledRuntime();
    const c = configFor(program);
    const globs = c.skipFiles as string[];
    // The frames of a stop, top to bottom: the runtime's debugger statement (kept, or V8 ignores it),
    // the agent's (Controller.checkSuspend, Session.suspending), the runtime's hooks and awaiters: skipped.
    expect(skipped(globs, join(runtime, 'src/jsStop/breakIntoJsDebugger.ts'))).toBe(false);
    for (const f of ['src/agent/control.ts', 'src/agent/session.ts', 'src/task.ts', 'src/index.ts', 'src/primitives/lock.ts', 'src/sites/key.ts']) {
      expect([f, skipped(globs, join(runtime, f))]).toEqual([f, true]);
    }
    // The bundle itself is not skipped by its path (js-debug would then skip every source in it, jsStop's too).
    expect(skipped(globs, join(runtime, 'dist/index.js'))).toBe(false);
    expect(skipped(globs, program)).toBe(false);
    expect(skipped(globs, join(project, 'src', 'agent', 'mine.ts'))).toBe(false);
    expect(globs[0]).toBe('<node_internals>/**');
    // The installed bundle's source map is read (a later pattern overrides js-debug's node_modules exclusion).
    const maps = c.resolveSourceMapLocations as string[];
    expect(micromatch([join(runtime, 'dist/index.js.map')], maps, { dot: true })).toHaveLength(1);
    expect(micromatch([join(project, 'node_modules/other/index.js.map')], maps, { dot: true })).toHaveLength(0);
  });

  it('skip a runtime in any node_modules folder, even one the program does not resolve (another copy, a workspace)', () => {
    const { program } = projectWithInstalledRuntime();
    const globs = configFor(program).skipFiles as string[];
    expect(skipped(globs, '/elsewhere/app/node_modules/loopscope/src/agent/control.ts')).toBe(true);
    expect(skipped(globs, '/elsewhere/app/node_modules/loopscope/src/loop.ts')).toBe(true);
    expect(skipped(globs, '/elsewhere/app/node_modules/loopscope/src/jsStop/breakIntoJsDebugger.ts')).toBe(false);
  });

  it("skip this repository's runtime/ the same way, every folder of its sources but jsStop/", () => {
    const program = join(ROOT, 'examples', 'crawler.ts');
    const globs = configFor(program).skipFiles as string[];
    const src = join(ROOT, 'runtime', 'src');
    for (const d of readdirSync(src, { withFileTypes: true })) {
      const inside = d.isDirectory() ? join(src, d.name, 'x.ts') : join(src, d.name);
      if (!d.name.endsWith('.ts') && !d.isDirectory()) continue;
      expect([d.name, skipped(globs, inside)]).toEqual([d.name, d.name !== 'jsStop']);
    }
    expect(skipped(globs, program)).toBe(false);
  });
});
