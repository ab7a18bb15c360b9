/** The line at the top saying whether the panel is live, frozen at a stop, or showing an ended session. */
import type { InspectorModel } from '../model/inspectorModel';
import { clear, el, icon } from './dom';

export class Banner {
  readonly root = el('header', { class: 'banner', attrs: { role: 'status', 'aria-live': 'polite' } });

  constructor(private readonly model: InspectorModel) {
    model.onChange((c) => {
      if (c.status || c.reset) this.render();
    });
    this.render();
  }

  private render(): void {
    const m = this.model;
    clear(this.root);
    this.root.className = `banner ${m.status}`;
    switch (m.status) {
      case 'waiting':
        this.root.append(icon('loading', 'codicon-modifier-spin'), el('span', { text: 'Waiting for a Loopscope debug session…' }));
        break;
      case 'live':
        this.root.append(icon('pulse'), el('span', { text: 'Live' }));
        break;
      case 'paused':
        this.root.append(icon('debug-pause'), el('span', { text: pausedText(m.pause?.description) }));
        break;
      case 'ended':
        this.root.append(icon('debug-disconnect'), el('span', { text: 'Session ended: showing its last state' }));
        break;
    }
  }
}

/** `Paused: <description>`, without saying "paused" twice when the runtime's description starts with it. */
export function pausedText(description: string | undefined): string {
  const d = (description ?? '').trim();
  if (!d) return 'Paused';
  const rest = /^paused\b[\s:,-]*/i.exec(d);
  if (rest) {
    const tail = d.slice(rest[0].length);
    return tail === '' ? 'Paused' : tail.startsWith('(') ? `Paused ${tail}` : `Paused: ${tail}`;
  }
  return `Paused: ${d}`;
}
