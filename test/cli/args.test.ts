import { describe, expect, it } from 'vitest';
import { HELP, parseArgs, parseDuration, UsageError } from '../../runtime/src/cli/args';

describe('parseArgs', () => {
  it('--freeze takes a task-name glob, repeatable; without one it says what it wants', () => {
    expect(parseArgs(['run', '--freeze', 'deposit-b', '--freeze=worker-*', 'examples/race.ts'])).toMatchObject({ program: 'examples/race.ts', freeze: ['deposit-b', 'worker-*'] });
    expect(() => parseArgs(['run', '--freeze'])).toThrow('--freeze needs a task name or a glob, e.g. --freeze worker-2 or --freeze "worker-*"');
  });

  it('options before the program, everything after it is the program’s', () => {
    expect(parseArgs(['run', '--dump', '--stuck-after', '1500', 'examples/deadlock.ts', '--dump', '-x'])).toEqual({
      command: 'run',
      program: 'examples/deadlock.ts',
      args: ['--dump', '-x'],
      dump: true,
      json: false,
      all: false,
      color: undefined,
      stuckAfterMs: 1500,
      groupBy: 'creator',
      at: undefined,
      freeze: [],
    });
  });

  it('--group-by location and --at file:line (a path with colons keeps them: the line is after the last)', () => {
    expect(parseArgs(['run', '--group-by', 'location', '--at', 'crawler.ts:22', 'x.ts'])).toMatchObject({ groupBy: 'location', at: { file: 'crawler.ts', line: 22 } });
    expect(parseArgs(['run', '--group-by=creator', '--at=C:\\src\\a.ts:7', 'x.ts'])).toMatchObject({ groupBy: 'creator', at: { file: 'C:\\src\\a.ts', line: 7 } });
    for (const flag of ['--group-by', '--at']) expect(HELP).toContain(flag);
  });

  it('--flag=value, --json, --all, --no-color and `--`', () => {
    const p = parseArgs(['run', '--stuck-after=2s', '--json', '--all', '--no-color', '--', '--weird-name.ts', 'a']);
    expect(p).toMatchObject({ program: '--weird-name.ts', args: ['a'], json: true, all: true, color: false, stuckAfterMs: 2000 });
  });

  it('help and version', () => {
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseArgs(['run', '-h', 'x.ts'])).toEqual({ command: 'help' });
    expect(parseArgs(['--version'])).toEqual({ command: 'version' });
    // The help documents every exit code the CLI can return by itself.
    for (const code of ['2 ', '3 ', '4 ', '130']) expect(HELP).toContain(`\n  ${code}`);
  });

  it.each([
    [[], /no command given/],
    [['start', 'x.ts'], /unknown command "start"/],
    [['run'], /no program given/],
    [['run', '--dump'], /no program given/],
    [['run', '--stuck-after'], /needs a duration/],
    [['run', '--stuck-after', 'soon', 'x.ts'], /wants a duration such as 1500/],
    [['run', '--stuck-after', '0', 'x.ts'], /more than 0/],
    [['run', '--frobnicate', 'x.ts'], /unknown option "--frobnicate"/],
    [['run', '--dump=yes', 'x.ts'], /--dump takes no value/],
    [['run', '--group-by', 'site', 'x.ts'], /--group-by is creator or location, got "site"/],
    [['run', '--group-by'], /--group-by is creator or location, got nothing/],
    [['run', '--at'], /--at needs a site/],
    [['run', '--at', 'crawler.ts', 'x.ts'], /--at: a site is file:line, e\.g\. crawler\.ts:22 .*got "crawler\.ts"/],
    [['run', '--at', 'crawler.ts:0', 'x.ts'], /a line number from 1/],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseArgs(argv as string[])).toThrow(message);
  });
});

describe('parseDuration', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['1.5s', 1500],
    ['2 s', 2000],
    ['1m', 60_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
});
