import { describe, it, expect, vi } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { readFileSync } from 'node:fs';
import { activateWithSession } from './harness';
import { fake } from './fakes/vscode';
import { ATTACH_FIELDS, DEFAULTS, LAUNCH_FIELDS, initialConfigurations } from '../../extension/src/debug/launchConfig';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const c = pkg.contributes;
const codicons = new Set(readFileSync(new URL('../../node_modules/@vscode/codicons/dist/codicon.csv', import.meta.url), 'utf8').split('\n').map((l) => l.split(',')[0]));

describe('package.json contributions', () => {
  it('contributes exactly the commands the extension registers', () => {
    const h = activateWithSession();
    const registered = [...fake.commands.keys()].sort();
    h.dispose();
    expect(c.commands.map((x: { command: string }) => x.command).sort()).toEqual(registered);
  });

  it('menus name contributed commands, and every icon is a codicon', () => {
    const ids = new Set(c.commands.map((x: { command: string }) => x.command));
    for (const [menu, items] of Object.entries(c.menus) as [string, { command: string }[]][]) {
      for (const i of items) expect(ids.has(i.command), `${menu}: ${i.command}`).toBe(true);
    }
    for (const x of c.commands) if (x.icon) expect(codicons.has(x.icon.slice(2, -1)), x.icon).toBe(true);
    expect(codicons.has(c.views.debug[0].icon.slice(2, -1))).toBe(true);
  });

  it('contributes only to menus VS Code has (ids are case-sensitive; an unknown one is ignored without a warning)', () => {
    // VS Code's menu ids (MenuId in src/vs/platform/actions/common/actions.ts) for the menus used here.
    const known = new Set(['commandPalette', 'view/title', 'view/item/context', 'debug/toolBar', 'debug/callstack/context', 'editor/title/run', 'editor/context', 'editor/lineNumber/context']);
    for (const menu of Object.keys(c.menus)) expect(known.has(menu), `unknown menu id ${menu}`).toBe(true);
    // The Step Scheduler button belongs in the debug toolbar (it was contributed to 'debug/toolbar', which VS Code ignores).
    expect(c.menus['debug/toolBar'].map((i: { command: string }) => i.command)).toContain('loopscope.stepScheduler');
  });

  it('describes the same launch and attach fields the extension validates (and the adapter reads)', () => {
    const schema = c.debuggers[0].configurationAttributes;
    expect(Object.keys(schema.launch.properties).sort()).toEqual([...LAUNCH_FIELDS, 'trace'].sort());
    expect(Object.keys(schema.attach.properties).sort()).toEqual([...ATTACH_FIELDS, 'trace'].sort());
    expect(schema.launch.required).toEqual(['program']);
    expect(schema.attach.required).toEqual(['port', 'secret']);
    expect(c.debuggers[0].initialConfigurations).toEqual(initialConfigurations());
    for (const p of Object.values(schema.launch.properties) as { description?: string; markdownDescription?: string }[]) expect(p.description ?? p.markdownDescription).toBeTruthy();
  });

  it('says the same defaults as the extension applies (the timeline off: it costs every task switch)', () => {
    const schema = c.debuggers[0].configurationAttributes;
    const settings = c.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULTS)) {
      expect(settings[`loopscope.${key}`].default, `loopscope.${key}`).toEqual(value);
      expect(schema.launch.properties[key].default, `launch ${key}`).toEqual(value);
      // jsDebug is launch-only.
      if (key !== 'jsDebug') expect(schema.attach.properties[key].default, `attach ${key}`).toEqual(value);
    }
    expect(schema.launch.properties.timeline.default).toBe(false);
    expect(schema.attach.properties.timeline.default).toBe(false);
    expect(settings['loopscope.timeline'].default).toBe(false);
  });

  it('activates on the debugger, its view and its panel, and ships an icon', () => {
    expect(pkg.activationEvents).toEqual(expect.arrayContaining(['onDebugResolve:loopscope', 'onDebugDynamicConfigurations:loopscope', 'onView:loopscope.tasks', 'onWebviewPanel:loopscope.inspector']));
    expect(c.views.debug.map((v: { id: string }) => v.id)).toEqual(['loopscope.tasks']);
    expect(readFileSync(new URL(`../../${pkg.icon}`, import.meta.url)).subarray(1, 4).toString()).toBe('PNG');
    expect(pkg.main).toBe('./dist/extension.js');
  });
});
