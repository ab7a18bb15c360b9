// The debugger side: what the adapter ingests, what the Tasks view model costs per update, and
// (when the webview exists) the timeline's frame time. Each measurement in its own process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { median } from './stats.mjs';
import { benchAdapterIngest, ADAPTER } from './adapterIngest.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** @param {{ rounds: number, built: { peer: string | null, protocol: string | null, treeModel: string | null }, skipped: { what: string, why: string }[], log: (s: string) => void }} opts */
export async function benchDebugger(opts) {
  const out = {};
  if (!existsSync(ADAPTER)) opts.skipped.push({ what: 'adapter ingest', why: 'dist/debugAdapter.js is not built' });
  else if (!opts.built.protocol) opts.skipped.push({ what: 'adapter ingest', why: 'runtime/src/protocol is missing' });
  else out.adapterIngest = await benchAdapterIngest({ rounds: opts.rounds, log: opts.log });

  if (!opts.built.treeModel) opts.skipped.push({ what: 'Tasks view model', why: 'extension/src/model/taskTreeModel.ts does not exist' });
  else {
    for (const n of [10_000, 100_000]) {
      const runs = [];
      // Two rounds: a 100,000-task snapshot alone takes seconds.
      for (let round = 0; round < 2; round++) {
        runs.push(await runChild(process.execPath, [join(here, 'treeModel.mjs'), JSON.stringify({ n, changed: 1000, updates: 30 })], { label: `tree model ${n}` }));
      }
      const r = {
        n,
        changedPerUpdate: 1000,
        snapshotMs: median(runs.map((x) => x.snapshotMs)),
        updateMs: median(runs.map((x) => x.updateMs)),
        updateP90Ms: median(runs.map((x) => x.updateP90Ms)),
      };
      r.summary = `${n.toLocaleString('en')} tasks: snapshot ${r.snapshotMs.toFixed(0)} ms; an update of 1,000 changed tasks ${r.updateMs.toFixed(1)} ms (p90 ${r.updateP90Ms.toFixed(1)} ms), view re-listing included`;
      out[`treeModel${n / 1000}k`] = r;
      opts.log(`  tree model: ${r.summary}`);
    }
  }
  opts.skipped.push({ what: 'webview timeline frame time', why: 'the Task Inspector webview (webview/src/main.ts) has no timeline yet' });
  return out;
}
