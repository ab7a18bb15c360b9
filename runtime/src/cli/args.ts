import { parseSite, type SiteFilter } from '../protocol/locations';

/**
 * The command line of `loopscope`: what the user asked for, or a clear error saying what is wrong.
 * Options come before the program; everything after the program is the program's own.
 */

/** Exit codes of `loopscope run` other than the program's own (documented in HELP). */
export const EXIT = {
  usage: 2,
  stuck: 3,
  noRuntime: 4,
} as const;

export const HELP = `loopscope — see every task of a program built on the loopscope runtime

Usage:
  loopscope run [options] <program.ts|.js> [program args...]
  loopscope --help | --version

Runs the program with Node (a .ts program runs through tsx: no build step) with the Loopscope
debugger attached, and shows its live task tree: each task under the task that created it, its
state, what it awaits in words ("Lock db held by worker-2 (1st in line)", "Queue.get on jobs
(empty)"), failures, await cycles (deadlocks) and stuck tasks flagged, identical sibling subtrees
folded ("× 500 worker"). The program's own output passes through. The live tree redraws in place
on a terminal; elsewhere (a pipe, a file) a tree is printed only at the end.

Options:
  --dump               Print one snapshot of the task tree and no live view: when the program
                       exits, on Ctrl-C, or when it is stuck (see --stuck-after).
  --stuck-after <t>    When no task has made progress for <t> (1500, 1500ms, 2s, 1m) and some
                       task is stuck — on an await cycle, waiting on something no task is left to
                       signal, or suspended that long with no timer that will wake it — print the
                       tree with the stuck tasks marked, stop the program and exit with 3.
                       A program that is only sleeping (a timer is due) is not stuck.
  --json               Machine output on stdout: with --dump one JSON document, otherwise one
                       JSON line per update (at most 10 a second). The program's stdout then goes
                       to stderr, so that stdout is JSON only.
  --all                Also show tasks that finished successfully (hidden by default, except the
                       root tasks and those with live children).
  --group-by <how>     creator (default): each task under the task that created it.
                       location: tasks grouped by where they are suspended, largest group first
                       ("× 500 suspended at crawler.ts:22 on Queue.get"); other tasks by state.
  --at <file:line>     Only the tasks suspended at that line (crawler.ts:22, or a longer path):
                       under their creators, or with --group-by location each one listed.
  --freeze <glob>      Freeze each task whose name matches (deposit-b, worker-*; repeatable) as it
                       is created: it takes no step while the others run, so they go first (to
                       reproduce an ordering, such as a race). The tree shows it "❄ frozen", and a
                       task waiting on it "stuck because frozen". There is no thaw command in a
                       terminal: frozen tasks are thawed when nothing else can run (every other
                       task has finished or waits, and no timer is due), with a line saying so;
                       a program waiting only for outside work (a Promise) counts as that too.
  --no-color           No ANSI colors (also when NO_COLOR is set, or the output is not a terminal).
  -h, --help           This help.
  --version            The version of loopscope.

Exit code:
  the program's own (128+N when a signal N ended it), or
  2    bad arguments, or the program file does not exist
  3    --stuck-after found the program stuck (the program was stopped)
  4    the program exited with 0 without ever loading the loopscope runtime
       (one that fails first returns its own code)
  130  interrupted by Ctrl-C (143 by SIGTERM, 129 by SIGHUP); the program gets the same signal

Examples:
  loopscope run examples/crawler.ts
  loopscope run --dump --stuck-after 1500 examples/deadlock.ts
  loopscope run --json --dump server.js --port 8080
  loopscope run --group-by location --at crawler.ts:25 examples/crawler.ts
  loopscope run --freeze deposit-b examples/race.ts
`;

export interface RunOptions {
  command: 'run';
  program: string;
  args: string[];
  dump: boolean;
  json: boolean;
  all: boolean;
  color: boolean | undefined; // undefined: decide by the terminal
  stuckAfterMs: number | undefined;
  groupBy: 'creator' | 'location';
  at: SiteFilter | undefined;
  /** --freeze: task-name globs frozen as created. */
  freeze: string[];
}

export type Parsed = RunOptions | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `1500`, `1500ms`, `1.5s`, `2m` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--stuck-after wants a duration such as 1500, 1500ms, 2s or 1m, got ${JSON.stringify(text)}`);
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1);
  if (n <= 0) throw new UsageError(`--stuck-after must be more than 0, got ${JSON.stringify(text)}`);
  return n;
}

const TAKES_VALUE = new Set(['--stuck-after', '--group-by', '--at', '--freeze']);

export function parseArgs(argv: readonly string[]): Parsed {
  if (argv.length === 0) throw new UsageError('no command given: try `loopscope run <program.ts>` (or --help)');
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command !== 'run') throw new UsageError(`unknown command ${JSON.stringify(command)}: the command is \`loopscope run <program>\` (see --help)`);

  const opts: RunOptions = { command: 'run', program: '', args: [], dump: false, json: false, all: false, color: undefined, stuckAfterMs: undefined, groupBy: 'creator', at: undefined, freeze: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      if (i + 1 >= rest.length) break;
      opts.program = rest[i + 1];
      opts.args = rest.slice(i + 2);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      opts.program = arg;
      opts.args = rest.slice(i + 1);
      break;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (flag) {
      case '-h':
      case '--help':
        return { command: 'help' };
      case '--dump':
        opts.dump = true;
        break;
      case '--json':
        opts.json = true;
        break;
      case '--all':
        opts.all = true;
        break;
      case '--no-color':
        opts.color = false;
        break;
      case '--color':
        opts.color = true;
        break;
      case '--stuck-after': {
        const value = inline ?? rest[++i];
        if (value === undefined) throw new UsageError('--stuck-after needs a duration, e.g. --stuck-after 1500');
        opts.stuckAfterMs = parseDuration(value);
        break;
      }
      case '--group-by': {
        const value = inline ?? rest[++i];
        if (value !== 'creator' && value !== 'location') throw new UsageError(`--group-by is creator or location, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
        opts.groupBy = value;
        break;
      }
      case '--at': {
        const value = inline ?? rest[++i];
        if (value === undefined) throw new UsageError('--at needs a site, e.g. --at crawler.ts:22');
        try {
          opts.at = parseSite(value);
        } catch (err) {
          throw new UsageError(`--at: ${(err as Error).message}`);
        }
        break;
      }
      case '--freeze': {
        const value = inline ?? rest[++i];
        if (value === undefined || value === '') throw new UsageError('--freeze needs a task name or a glob, e.g. --freeze worker-2 or --freeze "worker-*"');
        opts.freeze.push(value);
        break;
      }
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)} (options go before the program; see --help)`);
    }
    if (inline !== undefined && !TAKES_VALUE.has(flag)) throw new UsageError(`${flag} takes no value`);
  }
  if (!opts.program) throw new UsageError('no program given: `loopscope run [options] <program.ts|.js> [args...]`');
  return opts;
}
