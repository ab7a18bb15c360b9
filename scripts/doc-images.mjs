// Copies the end-to-end suite's screenshots that the README shows into docs/images/.
// Run after the suite (`npm test`, or `npx vitest run -c vitest.e2e.config.mts`): the pictures in the
// README are what a real VS Code showed, not mock-ups.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(root, 'test-results', 'e2e');
const out = join(root, 'docs', 'images');

/** e2e screenshot → docs/images name. */
const PICTURES = {
  'js-debug-task-breakpoint/01-task-breakpoint-with-locals.png': 'vscode-task-breakpoint.png',
  'deadlock/02-cycle-flagged.png': 'vscode-deadlock.png',
  'deadlock/03-inspector-graph.png': 'vscode-inspector-graph.png',
  'crawler/02-scheduler-step.png': 'vscode-scheduler-step.png',
};

mkdirSync(out, { recursive: true });
const missing = [];
for (const [from, to] of Object.entries(PICTURES)) {
  const src = join(shots, from);
  if (!existsSync(src)) missing.push(from);
  else copyFileSync(src, join(out, to));
}
if (missing.length) {
  console.error(`doc-images: no screenshot ${missing.join(', ')} in test-results/e2e: run the e2e suite first.`);
  process.exit(1);
}
console.log(`doc-images: ${Object.keys(PICTURES).length} pictures copied to docs/images`);
