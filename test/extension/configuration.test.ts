import { describe, it, expect, vi, beforeEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { fake, resetFake } from './fakes/vscode';
import { LoopscopeConfigurationProvider, LoopscopeDynamicConfigurations } from '../../extension/src/debug/configurationProvider';
import { DEFAULTS, validateConfig, type Config } from '../../extension/src/debug/launchConfig';

const folder = undefined;
const editorOn = (path: string) => ({ document: { uri: vscode.Uri.file(path) } });

beforeEach(() => resetFake());

describe('debug configuration provider', () => {
  it('F5 on a .ts file with no launch.json debugs it with type loopscope and the settings\' defaults', () => {
    fake.activeTextEditor = editorOn('/w/src/crawler.ts');
    fake.workspaceFolder = { uri: vscode.Uri.file('/w') };
    fake.configuration = { 'loopscope.jsDebug': false, 'loopscope.maxThreads': 16 };
    const c = new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { type: '', request: '', name: '' });
    expect(c).toEqual({
      type: 'loopscope',
      request: 'launch',
      name: 'Loopscope: crawler.ts',
      program: '/w/src/crawler.ts',
      cwd: '/w',
      jsDebug: false,
      maxThreads: 16,
      timeline: false,
      stacks: 'always',
      slowStepMs: 0,
    });
  });

  it('slowStepMs comes from the setting unless the configuration sets it, and must be a number of ms', () => {
    const launch = { type: 'loopscope', request: 'launch', name: 'x', program: '/w/a.js' };
    fake.configuration = { 'loopscope.slowStepMs': 50 };
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, launch)).toMatchObject({ slowStepMs: 50 });
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { ...launch, slowStepMs: 0 })).toMatchObject({ slowStepMs: 0 });
    expect(validateConfig({ ...launch, slowStepMs: -1 })).toBe('Loopscope configuration "x": "slowStepMs" must be a number of milliseconds, 0 or more (0: no slow-step reports) (got -1).');
    expect(validateConfig({ ...launch, request: 'attach', port: 9339, secret: 's', slowStepMs: 'fast' })).toMatch(/slowStepMs/);
  });

  it('records the timeline from the start only when the setting or the configuration asks', () => {
    // Off by default: streaming every task step costs every task switch (the Task Inspector turns it on while its Timeline tab shows).
    const launch = { type: 'loopscope', request: 'launch', name: 'x', program: '/w/a.js' };
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, launch)).toMatchObject({ timeline: false });
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { ...launch, timeline: true })).toMatchObject({ timeline: true });
    fake.configuration = { 'loopscope.timeline': true };
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, launch)).toMatchObject({ timeline: true });
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { ...launch, timeline: false })).toMatchObject({ timeline: false });
    expect(DEFAULTS.timeline).toBe(false);
  });

  it('keeps what the configuration sets and fills only what it leaves out', () => {
    const c = new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { type: 'loopscope', request: 'launch', name: 'x', program: '/w/a.js', jsDebug: true, stacks: 'off' });
    expect(c).toMatchObject({ jsDebug: true, stacks: 'off', maxThreads: 64, timeline: false });
    const a = new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { type: 'loopscope', request: 'attach', name: 'a', port: 9000, secret: 's' });
    expect(a).not.toHaveProperty('jsDebug');
  });

  it('refuses F5 with a clear message when the active file cannot be debugged', () => {
    fake.activeTextEditor = editorOn('/w/README.md');
    expect(new LoopscopeConfigurationProvider().resolveDebugConfiguration(folder, { type: '', request: '', name: '' })).toBeUndefined();
    expect(fake.errors).toEqual(['Loopscope: open a TypeScript or JavaScript file to debug it, or add a "loopscope" configuration to launch.json.']);
  });

  it('refuses a malformed configuration, naming the field, before anything starts', () => {
    const p = new LoopscopeConfigurationProvider(() => true);
    expect(p.resolveDebugConfigurationWithSubstitutedVariables(folder, { type: 'loopscope', request: 'launch', name: 'L', program: '/w/a.ts', maxThreads: -3 })).toBeUndefined();
    expect(fake.errors).toEqual(['Loopscope configuration "L": "maxThreads" must be a positive whole number (got -3).']);
    const ok = { type: 'loopscope', request: 'launch', name: 'L', program: '/w/a.ts' };
    // A launch is marked as coming from this extension, which starts the JavaScript child session.
    expect(p.resolveDebugConfigurationWithSubstitutedVariables(folder, ok)).toEqual({ ...ok, __jsDebugByExtension: true });
    const attach = { type: 'loopscope', request: 'attach', name: 'A', port: 9229, secret: 's' };
    expect(p.resolveDebugConfigurationWithSubstitutedVariables(folder, attach)).toBe(attach);
  });

  it('offers the active file as a dynamic configuration', () => {
    fake.activeTextEditor = editorOn('/w/x.mjs');
    expect(new LoopscopeDynamicConfigurations().provideDebugConfigurations()).toMatchObject([{ type: 'loopscope', program: '/w/x.mjs', cwd: '/w' }]);
    fake.activeTextEditor = editorOn('/w/types.d.ts');
    expect(new LoopscopeDynamicConfigurations().provideDebugConfigurations()).toEqual([]);
  });
});

describe('validateConfig', () => {
  const launch = (over: Record<string, unknown>): Config => ({ type: 'loopscope', request: 'launch', name: 'L', program: '/w/a.ts', ...over });
  const attach = (over: Record<string, unknown>): Config => ({ type: 'loopscope', request: 'attach', name: 'A', port: 4000, secret: 'k', ...over });
  it.each([
    [launch({ program: undefined }), '"program" is required'],
    [launch({ program: '/w/a.py' }), '"program" must be a TypeScript or JavaScript file (.ts, .mts, .js, .mjs...), got "/w/a.py"'],
    [launch({ args: 'one two' }), '"args" must be an array of strings (got "one two")'],
    [launch({ env: { A: 1 } }), '"env" must be an object whose values are strings (or null to remove a variable)'],
    [launch({ console: 'externalTerminal' }), '"console" must be "internalConsole" or "integratedTerminal"'],
    [launch({ stopOnEntry: 'yes' }), '"stopOnEntry" must be true or false'],
    [launch({ stacks: 'some' }), '"stacks" must be "always", "sampled" or "off"'],
    [launch({ connectTimeout: 0 }), '"connectTimeout" must be a positive number of seconds'],
    [attach({ port: undefined }), '"port" is required'],
    [attach({ port: 70000 }), '"port" must be a whole number from 1 to 65535 (got 70000)'],
    [attach({ secret: '' }), '"secret" is required'],
    [{ type: 'loopscope', request: 'run', name: 'R' }, '"request" must be "launch" or "attach" (got "run")'],
  ])('%# says what is wrong', (config, expected) => {
    expect(validateConfig(config as Config)).toContain(expected);
  });

  it('checks that an absolute program exists', () => {
    expect(validateConfig(launch({}), () => false)).toBe('Loopscope configuration "L": the program /w/a.ts does not exist.');
    expect(validateConfig(launch({ program: 'rel/a.ts' }), () => false)).toBeUndefined();
    expect(validateConfig(attach({ env: 'ignored in attach' }))).toBeUndefined();
  });
});
