// Turns a benchmark result into the tables printed by `npm run bench` and kept in docs/performance.md.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fmtRate } from './workloadBench.mjs';
import { slowdown, checkTargets } from './targets.mjs';

const PEERS = ['native', 'asyncio', 'effection'];
const WATCH = [
  ['loopscope', 'no instrument'],
  ['noop', 'no-op instrument'],
  ['agent', 'agent → local consumer'],
  ['timeline', 'agent + timeline → local consumer'],
  ['adapter', 'agent → debug adapter (launch defaults: no timeline)'],
];

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const x = (v) => (v === undefined || v === null ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)}×`);
/** A slowdown (0.05 = 5 % slower) as a reader compares it: a signed percentage, or "N× slower" past 2×. */
export const slowerBy = (v) => (v === null ? '—' : v >= 1 ? `${(1 + v).toFixed(1)}× slower` : `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} %`);

export function peersTable(results) {
  const rows = results.workloads.map((w) => {
    const ls = w.contenders.loopscope;
    return [
      `${w.workload}`,
      `${fmtRate(ls.ratePerSec)} ${w.unit} (±${(ls.noise * 100).toFixed(1)} %)`,
      ...PEERS.map((p) => {
        const c = w.contenders[p];
        return c ? `${x(c.loopscopeOverThis)} (${fmtRate(c.ratePerSec)})` : '—';
      }),
    ];
  });
  return table(['workload', 'Loopscope', '÷ Node async/await', '÷ CPython asyncio', '÷ Effection 4'], rows);
}

export function watchTable(results) {
  const watched = results.workloads.filter((w) => w.contenders.nohooks);
  if (watched.length === 0) return null;
  const rows = watched.map((w) => [
    w.workload,
    fmtRate(w.contenders.nohooks.ratePerSec),
    ...WATCH.map(([id]) => (w.contenders[id] ? `${slowerBy(slowdown(w, id, 'nohooks'))} (${fmtRate(w.contenders[id].ratePerSec)})` : '—')),
  ]);
  return table(['workload', 'no hook sites (baseline)', ...WATCH.map(([, label]) => label)], rows);
}

export function memoryTable(results) {
  const m = results.memory;
  if (!m) return null;
  return table(
    ['runtime', 'bytes per suspended task', 'tasks', 'what is measured'],
    Object.values(m.peers).map((p) => [p.label, `${p.bytesPerTask.toFixed(0)}`, (p.n ?? m.n).toLocaleString('en'), p.about]),
  );
}

export function targetsTable(results) {
  return table(
    ['target', 'bar', 'measured', 'met'],
    checkTargets(results).map((t) => [t.what, t.bar, t.value ?? 'not measured', t.met === null ? '—' : t.met ? 'yes' : '**no**']),
  );
}

export function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}; Node ${m.node}, Python ${m.python ?? 'absent'}, Effection ${m.effection ?? 'absent'}`;
}

export function renderResults(results) {
  const parts = [
    `Measured ${results.date} with \`${results.command}\` (${results.rounds} interleaved rounds per contender, each a fresh process; median; ${results.clock === 'cpu' ? 'rates per second of CPU time' : 'rates per second of wall time'}).`,
    '',
    `Machine: ${machineLine(results.machine)}; 1-minute load average ${results.load.start} at the start, ${results.load.end} at the end.`,
    '',
    '### Loopscope against its peers',
    '',
    'Rate of each workload on Loopscope, and Loopscope\'s rate divided by each peer\'s (above 1×: Loopscope is faster). The peer\'s own rate is in brackets.',
    '',
    peersTable(results),
  ];
  const watch = watchTable(results);
  if (watch) parts.push('', '### The cost of watching', '', 'Slowdown against the same runtime built with every hook site compiled out (paired round by round).', '', watch);
  const mem = memoryTable(results);
  if (mem) parts.push('', '### Memory', '', mem);
  if (results.debugger) parts.push('', '### The debugger side', '', debuggerLines(results.debugger));
  parts.push('', '### Targets', '', targetsTable(results));
  if (results.skipped.length) parts.push('', 'Not measured in this run: ' + results.skipped.map((s) => `${s.what} (${s.why})`).join('; ') + '.');
  return parts.join('\n');
}

const DEBUGGER_PARTS = {
  adapterIngest: 'Adapter ingest',
  treeModel10k: 'Tasks view model',
  treeModel100k: 'Tasks view model',
  treeModelByLocation10k: 'Tasks view model',
  treeModelByLocation100k: 'Tasks view model',
  timeline: 'Timeline in Chromium',
};

function debuggerLines(d) {
  const lines = [];
  for (const [k, v] of Object.entries(d)) lines.push(`- ${DEBUGGER_PARTS[k] ?? k}: ${v.summary ?? JSON.stringify(v)}.`);
  return lines.join('\n');
}

const START = '<!-- bench:results:start (written by `npm run bench`; edit the text outside these markers) -->';
const END = '<!-- bench:results:end -->';

/** Replaces the results section of docs/performance.md, keeping the hand-written analysis around it. */
export function updateDocs(path, results) {
  if (!existsSync(path)) throw new Error(`${path} is missing: it holds the analysis the results are written into`);
  const doc = readFileSync(path, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path} has no results markers (${START} … ${END})`);
  writeFileSync(path, doc.slice(0, a + START.length) + '\n\n' + renderResults(results) + '\n\n' + doc.slice(b));
}
