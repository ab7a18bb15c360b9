// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function, heaviest first.
// `node bench/profileSummary.mjs FILE.cpuprofile [TOP]`
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** @returns {{ fn: string, where: string, selfMs: number, share: number }[]} */
export function summarizeProfile(path, top = 25) {
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const node = byId.get(prof.samples[i]);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anonymous)'}\t${cf.url ? basename(cf.url) : ''}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => {
      const [fn, where] = k.split('\t');
      return { fn, where, selfMs: us / 1000, share: us / total };
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/profileSummary.mjs FILE.cpuprofile [TOP]');
  for (const r of summarizeProfile(file, Number(process.argv[3] ?? 25))) {
    console.log(`${(r.share * 100).toFixed(1).padStart(5)} %  ${r.selfMs.toFixed(1).padStart(8)} ms  ${r.fn}  ${r.where}`);
  }
}
