/** The tab bar: one tab per view, arrow keys move between them (the ARIA tabs pattern). */
import type { PersistedState } from '../messages';
import { el, icon } from './dom';

export type ViewName = PersistedState['view'];

export interface TabSpec {
  name: ViewName;
  label: string;
  icon: string;
  panel: HTMLElement;
}

export class Tabs {
  readonly root: HTMLElement;
  private readonly buttons = new Map<ViewName, HTMLButtonElement>();
  private readonly badges = new Map<ViewName, HTMLElement>();
  current: ViewName;

  constructor(
    private readonly specs: TabSpec[],
    initial: ViewName,
    private readonly onSelect: (name: ViewName) => void,
  ) {
    this.current = initial;
    this.root = el('nav', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Task Inspector views' } });
    for (const s of specs) {
      const id = `tab-${s.name}`;
      s.panel.id = `panel-${s.name}`;
      s.panel.setAttribute('role', 'tabpanel');
      s.panel.setAttribute('aria-labelledby', id);
      const badge = el('span', { class: 'badge' });
      badge.hidden = true;
      const b = el('button', { class: 'tab', attrs: { role: 'tab', id, 'aria-controls': s.panel.id, 'data-view': s.name } }, icon(s.icon), el('span', { text: s.label }), badge);
      b.addEventListener('click', () => this.select(s.name));
      b.addEventListener('keydown', (e) => {
        const i = specs.indexOf(s);
        const next = e.key === 'ArrowRight' ? specs[(i + 1) % specs.length] : e.key === 'ArrowLeft' ? specs[(i + specs.length - 1) % specs.length] : null;
        if (!next) return;
        e.preventDefault();
        this.select(next.name);
        this.buttons.get(next.name)!.focus();
      });
      this.buttons.set(s.name, b);
      this.badges.set(s.name, badge);
      this.root.append(b);
    }
    this.paint();
  }

  select(name: ViewName): void {
    if (name === this.current) return;
    this.current = name;
    this.paint();
    this.onSelect(name);
  }

  setBadge(name: ViewName, count: number): void {
    const b = this.badges.get(name)!;
    b.textContent = String(count);
    b.hidden = count === 0;
  }

  private paint(): void {
    for (const s of this.specs) {
      const on = s.name === this.current;
      const b = this.buttons.get(s.name)!;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      s.panel.hidden = !on;
    }
  }
}
