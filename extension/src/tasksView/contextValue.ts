/**
 * The `viewItem` context value of a task row: space-separated words that package.json's menus test
 * with regular expressions (`viewItem =~ /\blive\b/`), so one row can carry several facts.
 */
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import { isFinishedState } from '../../../runtime/src/protocol/describe';

export function taskContextValue(t: TaskRecord): string {
  const words = ['loopscopeTask', `state-${t.state}`, isFinishedState(t.state) ? 'finished' : 'live'];
  if (t.location) words.push('hasSite');
  if (t.createdAt) words.push('hasCreation');
  // Freeze Task or Thaw Task, whichever applies (menus test one word, never its absence).
  if (!isFinishedState(t.state)) words.push(t.frozen ? 'frozen' : 'freezable');
  return words.join(' ');
}
