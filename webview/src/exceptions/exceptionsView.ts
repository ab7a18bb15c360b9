/**
 * The exceptions list: every failed task (newest first) with its error and stack as text. Clicking
 * a task's header selects it and opens the first frame of the user's code in its stack; clicking a
 * stack line opens that line.
 */
import { describeError } from '../../../runtime/src/protocol/describe';
import type { Frame, TaskRecord } from '../../../runtime/src/protocol/wire';
import type { InspectorModel } from '../model/inspectorModel';
import type { Actions } from '../ui/actions';
import { clear, el, icon } from '../ui/dom';
import { offsetText } from '../timeline/viewport';
import { firstUserFrame, parseStack } from './stackFrames';

export class ExceptionsView {
  readonly root: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLElement;
  private readonly empty: HTMLElement;
  private visible = false;
  /** The model's exceptionsVersion last rendered. */
  private rendered = -1;
  private items = new Map<number, HTMLLIElement>();
  /** Frames behind the clickable elements (no data in attributes to parse back). */
  private frames = new WeakMap<Element, Frame>();

  constructor(
    private readonly model: InspectorModel,
    private readonly actions: Actions,
  ) {
    this.summary = el('span', { class: 'summary' });
    this.list = el('ol', { class: 'exception-list' });
    this.empty = el('div', { class: 'empty-note', text: 'No task has failed.' });
    this.root = el('section', { class: 'view exceptions-view', attrs: { 'aria-label': 'Exceptions' } }, el('div', { class: 'toolbar' }, icon('error'), this.summary), this.list, this.empty);
    this.list.addEventListener('click', (e) => this.onActivate(e.target as Element));
    this.list.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      this.onActivate(e.target as Element);
    });
    model.onChange((c) => {
      if ((c.reset || c.tasks) && this.visible) this.render();
      if (c.selection) this.paintSelection();
    });
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.render();
  }

  private render(): void {
    if (this.rendered === this.model.exceptionsVersion) return;
    this.rendered = this.model.exceptionsVersion;
    const failed = this.model.exceptions;
    const dropped = this.model.exceptionsDropped;
    this.summary.textContent = `${failed.length + dropped} failed task${failed.length + dropped === 1 ? '' : 's'}${dropped ? ` (the oldest ${dropped} not kept)` : ''}`;
    this.empty.hidden = failed.length > 0;
    clear(this.list);
    this.items.clear();
    for (let i = failed.length - 1; i >= 0; i--) {
      const li = this.item(failed[i]);
      this.items.set(failed[i].id, li);
      this.list.append(li);
    }
    this.paintSelection();
  }

  private item(t: TaskRecord): HTMLLIElement {
    const error = t.error ?? { name: 'Error', message: '(no exception recorded)' };
    const lines = error.stack ? parseStack(error.stack) : [];
    const target = firstUserFrame(lines) ?? t.createdAt;
    const head = el(
      'div',
      { class: 'exception-head', attrs: { role: 'button', tabindex: '0', title: target ? 'Select the task and open where it failed' : 'Select the task' } },
      icon('error', 'failed-icon'),
      el('span', { class: 'task-name', text: t.name }),
      el('span', { class: 'task-id', text: `#${t.id}` }),
      el('span', { class: 'error-text', text: describeError(error) }),
      el('span', { class: 'when', text: offsetText(t.since - this.model.origin) }),
    );
    if (target) this.frames.set(head, target);
    const stack = el('pre', { class: 'stack' });
    // The stack's first line repeats the error text shown in the header.
    const body = lines.length > 0 && lines[0].text.startsWith(error.name) ? lines.slice(1) : lines;
    for (const line of body) {
      if (line.frame) {
        const link = el('span', { class: 'frame-link', attrs: { role: 'link', tabindex: '0', title: 'Open this line' }, text: line.text });
        this.frames.set(link, line.frame);
        stack.append(link, '\n');
      } else stack.append(el('span', { class: 'frame-other', text: line.text }), '\n');
    }
    if (body.length === 0) stack.append(el('span', { class: 'frame-other', text: 'No stack recorded.' }));
    const li = el('li', { class: 'exception' }, head, stack);
    li.dataset.taskId = String(t.id);
    return li;
  }

  private onActivate(target: Element): void {
    const link = target.closest('.frame-link, .exception-head');
    if (!link) return;
    const li = link.closest('li.exception') as HTMLLIElement | null;
    if (li && link.classList.contains('exception-head')) this.actions.selectTask(Number(li.dataset.taskId));
    const frame = this.frames.get(link);
    if (frame) this.actions.reveal(frame);
  }

  private paintSelection(): void {
    const sel = this.model.selectedTaskId;
    for (const [id, li] of this.items) li.classList.toggle('selected', id === sel);
  }
}
