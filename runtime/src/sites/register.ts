/**
 * `node --import loopscope/register program.js` (the debug adapter and `loopscope run` add it):
 * instruments the program's coroutines as they load, so the debugger knows every task's await
 * sites without capturing stacks (transform.ts). ES modules through Node's loader hooks,
 * CommonJS (and tsx's compiled TypeScript) through Module.prototype._compile.
 */
import Module, { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { instrumentFile, isUserFile } from './instrumentFile';
import { sitesGlobal } from './registry';

const notes = new Set<string>();

/** A file that runs uninstrumented is said once, on stderr, where `loopscope run` and the adapter show it. */
function note(text: string): void {
  if (notes.has(text)) return;
  notes.add(text);
  process.stderr.write(`${text}\n`);
}

// The shared object first, so that the runtime (loaded by the program) finds it when it starts a loop.
sitesGlobal();

const { port1, port2 } = new MessageChannel();
port1.on('message', (m) => note(String(m)));
port1.unref();
const hooksUrl = new URL(import.meta.url.endsWith('.ts') ? './registerHooks.ts' : './register-hooks.mjs', import.meta.url);
register(hooksUrl.href, { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

type Compile = (this: unknown, content: string, filename: string) => unknown;
const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
const compile = proto._compile;
proto._compile = function (this: unknown, content: string, filename: string): unknown {
  if (typeof content === 'string' && isUserFile(filename)) {
    const out = instrumentFile(content, filename, 'script');
    if (out.note !== undefined) note(out.note);
    content = out.code;
  }
  return compile.call(this, content, filename);
};
