/**
 * The terminal inspector prints the program's strings (task names, error and cancel messages,
 * resource names) with their control characters escaped: an ESC in a name must not clear the
 * screen or set the terminal's title, a newline must not break the tree's rows.
 */
import { describe, expect, it } from 'vitest';
import { printable } from '../../runtime/src/cli/printable';
import { analyze, renderJson, renderText, type View } from '../../runtime/src/cli/render';
import { lock, task, waiting } from './records';

const CLEAR_AND_TITLE = 'evil\x1b[2J\x1b]0;pwned\x07\nsecond row\r\tend';

describe('printable', () => {
  it('escapes C0, DEL and C1 controls, line separators and bidi overrides, as ps and git do', () => {
    expect(printable(CLEAR_AND_TITLE)).toBe('evil\\x1b[2J\\x1b]0;pwned\\x07\\nsecond row\\r\\tend');
    expect(printable('a\x00b\x7fc\x9bd')).toBe('a\\x00b\\x7fc\\x9bd');
    expect(printable('x\u2028y\u202ez\u2066')).toBe('x\\u2028y\\u202ez\\u2066');
  });

  it('leaves ordinary text, Unicode included, as it is (the same string)', () => {
    const s = 'worker-1 → naïve 日本 🙂 \\n';
    expect(printable(s)).toBe(s);
  });
});

describe('renderText with hostile program strings', () => {
  const view: View = {
    now: 1000,
    tasks: [
      task(1, 'main', 'suspended', { awaiting: { kind: 'task', taskId: 2 } }),
      waiting(2, CLEAR_AND_TITLE, { kind: 'lock', resourceId: 9, holderId: 3 }, { parentId: 1 }),
      task(3, 'holder\x1b[31m', 'failed', { parentId: 1, error: { name: 'Bad\x1b[H', message: 'line1\x1b[2Jstill line1' } }),
      task(4, 'c\nc', 'cancelled', { parentId: 1, cancelMessage: 'stop\x1b[2J' }),
    ],
    resources: [lock(9, 'lock\x1b[2J', 3, [2])],
  };

  it('prints no control character and one row per task', () => {
    for (const color of [false, true]) {
      const lines = renderText(view, analyze(view, { all: true }), { color });
      const text = lines.join('\n');
      // With colour, only the renderer's own SGR sequences (ESC [ digits m) remain.
      const stripped = text.replace(/\x1b\[[0-9;]*m/g, '');
      expect(stripped).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      expect(stripped).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07\\nsecond row\\r\\tend');
      expect(stripped).toContain('holder\\x1b[31m');
      expect(stripped).toContain('Bad\\x1b[H: line1\\x1b[2Jstill line1');
      expect(stripped).toContain('("stop\\u001b[2J")'); // quoted by describe.ts with JSON.stringify, which escapes it
      expect(stripped).toContain('lock\\x1b[2J');
      expect(lines.filter((l) => /#\d/.test(l))).toHaveLength(4);
    }
  });

  it('the JSON keeps the exact strings (JSON escapes them itself)', () => {
    const doc = renderJson(view, analyze(view, { all: true }), { reason: 'exit', program: 'p.ts' });
    expect(doc.tasks.find((t) => t.id === 2)?.name).toBe(CLEAR_AND_TITLE);
    expect(JSON.stringify(doc)).not.toMatch(/[\x00-\x1f]/);
  });
});
