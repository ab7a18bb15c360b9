// Builds what the benchmark needs besides the project's own bundles, with the same esbuild options
// as the runtime's ESM bundle in scripts/build.mjs (so the only difference is the one named here):
//  - bench/.build/nohooks.mjs: the runtime with every instrument hook site compiled out, the
//    baseline for "no instrument costs ≤ 2%";
//  - bench/.build/peer.mjs: the debugger's end of the protocol (listenForRuntime), when it exists;
//  - bench/.build/protocol.mjs: the runtime's end (framing, handshake), for bench/fakeRuntime.mjs;
//  - bench/.build/treeModel.mjs: the Tasks view's model (extension/src/model), for bench/treeModel.mjs.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, sep } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = (p) => join(root, p);
export const BUILD_DIR = r('bench/.build');
export const NOHOOKS_BUNDLE = join(BUILD_DIR, 'nohooks.mjs');
export const PEER_BUNDLE = join(BUILD_DIR, 'peer.mjs');
export const RUNTIME_BUNDLE = r('runtime/dist/index.js');

// Identical to scripts/build.mjs's `node` options and the runtime ESM target's format.
const runtimeOptions = { platform: 'node', target: 'node20', bundle: true, sourcemap: true, logLevel: 'warning', format: 'esm' };

/** Every read of the dispatch table (`hooks.taskCreated`, `hooks.resuming !== null`, ...) outside hooks.ts. */
const HOOK_READ = /\bhooks\.([A-Za-z]+)\b/g;

/**
 * An esbuild plugin that replaces each hook-table read in runtime/src with `null`, so every hook
 * site becomes `if (null !== null) ...`: what the runtime would be if it had no instrumentation.
 * Counts the sites it rewrote so the caller can prove it found them.
 */
function compileOutHooks(stats) {
  const hooksFile = r('runtime/src/hooks.ts');
  const runtimeSrc = r('runtime/src') + sep;
  return {
    name: 'compile-out-hooks',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(runtimeSrc) || args.path === hooksFile) return undefined;
        const source = readFileSync(args.path, 'utf8');
        let n = 0;
        const contents = source.replace(HOOK_READ, () => {
          n++;
          return 'null';
        });
        if (n > 0) stats.set(args.path.slice(runtimeSrc.length), n);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Builds the variant bundles (into bench/.build unless `outDir` is given); returns where, and what
 * was rewritten (file → hook sites) for the report.
 */
export async function buildVariants({ outDir = BUILD_DIR } = {}) {
  const stats = new Map();
  const nohooks = join(outDir, 'nohooks.mjs');
  await build({ ...runtimeOptions, entryPoints: [r('runtime/src/index.ts')], outfile: nohooks, plugins: [compileOutHooks(stats)] });
  const sites = [...stats.values()].reduce((a, b) => a + b, 0);
  const out = readFileSync(nohooks, 'utf8');
  // The hot-path sites must be gone: if the runtime renames its table, fail instead of comparing two identical builds.
  for (const hook of ['taskScheduled', 'beforeTaskStep', 'afterTaskStep', 'suspending', 'resuming']) {
    if (out.includes(`hooks.${hook}`)) throw new Error(`bench: the no-hooks build still reads hooks.${hook}; the compile-out-hooks plugin no longer matches the runtime's hook sites`);
  }
  if (sites < 10) throw new Error(`bench: the no-hooks build rewrote only ${sites} hook sites; the runtime's hook sites have changed`);
  const peerEntry = r('runtime/src/protocol/peer.ts');
  let peer = null;
  let protocol = null;
  if (existsSync(peerEntry)) {
    peer = join(outDir, 'peer.mjs');
    await build({ ...runtimeOptions, entryPoints: [peerEntry], outfile: peer });
    // The runtime's side of the protocol, for bench/fakeRuntime.mjs.
    protocol = join(outDir, 'protocol.mjs');
    await build({
      ...runtimeOptions,
      stdin: {
        contents: [
          "export { FramedSocket } from './framing';",
          "export { sendHello } from './handshake';",
          "export { ENV, EventKind } from './wire';",
        ].join('\n'),
        resolveDir: r('runtime/src/protocol'),
        loader: 'ts',
      },
      outfile: protocol,
    });
  }
  // The Tasks view's model, for bench/treeModel.mjs.
  const treeEntry = r('extension/src/model/taskTreeModel.ts');
  let treeModel = null;
  if (existsSync(treeEntry)) {
    treeModel = join(outDir, 'treeModel.mjs');
    await build({ ...runtimeOptions, entryPoints: [treeEntry], outfile: treeModel });
  }
  return { nohooks, hookSites: sites, hookFiles: Object.fromEntries(stats), peer, protocol, treeModel };
}
