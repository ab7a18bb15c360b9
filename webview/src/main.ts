/**
 * The Task Inspector webview's entry (bundled to dist/webview/main.js). Mounts the app on #app,
 * restores the state an earlier load saved, listens for the host's messages, then says `ready`
 * (the host answers with the current session's state).
 *
 * #app may carry data-event-capacity (timeline events kept at most) to bound memory differently.
 */
import { App } from './app';
import { connectHost } from './vscodeApi';

function start(): void {
  const mount = document.getElementById('app');
  if (!mount) throw new Error('Task Inspector: the page has no #app element to mount on');
  const host = connectHost();
  const capacity = Number(mount.dataset.eventCapacity);
  const app = new App(mount, host, host.loadState(), { eventCapacity: Number.isFinite(capacity) && capacity > 0 ? capacity : undefined });
  window.addEventListener('message', (e: MessageEvent) => app.receive(e.data));
  host.post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
