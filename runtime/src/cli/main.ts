/**
 * `loopscope`: the terminal inspector's entry (built to runtime/dist/cli.js, the package's bin).
 * Parses the command line and hands over to `run`; prints usage errors plainly.
 */
import { readFileSync } from 'node:fs';
import { EXIT, HELP, parseArgs, UsageError } from './args';
import { runProgram } from './session';

function version(): string {
  // dist/cli.js and src/cli/main.ts both sit two levels below the package's package.json.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'loopscope' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next
    }
  }
  return 'unknown';
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (parsed.command === 'version') {
      process.stdout.write(`loopscope ${version()}\n`);
      return 0;
    }
    return await runProgram(parsed);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`loopscope: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`loopscope: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
