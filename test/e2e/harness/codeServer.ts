/**
 * A real VS Code for the end-to-end suite: code-server (on the Node 24 that scripts/install-vscode.mjs
 * installs) on a free loopback port, with a fresh user-data-dir and extensions-dir, the built .vsix
 * installed, and a folder to open. Its output and the extension host's logs are kept for failures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What scripts/install-vscode.mjs reports (`--json`). */
export interface VSCodePaths {
  node: string;
  entry: string;
  cache: string;
}

/** Settings that keep the screen quiet: no trust prompt, no welcome page, no AI chat, no tips. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'debug.toolBarLocation': 'floating',
  'debug.openDebug': 'openOnDebugBreak',
  'git.enabled': false,
};

export interface CodeServer {
  url: string;
  port: number;
  /** `url` with `?folder=` for the folder to open. */
  folderUrl: string;
  /** The temporary folder holding user data, extensions and logs. */
  home: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout and stderr. */
  logFile: string;
  /** Copies code-server's output and the extension host's logs into `dir`. */
  collectLogs(dir: string): void;
  /** The Loopscope extension's log channel so far ('' before it wrote anything). */
  extensionLog(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Installs a .vsix into an extensions dir with code-server's own CLI; throws with its output on failure. */
export function installExtension(vscode: VSCodePaths, vsix: string, userDataDir: string, extensionsDir: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(vscode.node, [vscode.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`code-server could not install ${vsix} (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

export interface StartOptions {
  vscode: VSCodePaths;
  vsix?: string;
  folder: string;
  /** Extra user settings, over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Fixed port; a free one by default. */
  port?: number;
  /** Where the user data, extensions and logs go; a fresh temporary folder by default. */
  home?: string;
  readyTimeoutMs?: number;
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'loopscope-e2e-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  const logFile = join(home, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  // code-server writes its config.yaml and state under XDG folders: keep them in `home`, not the user's.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    // Debuggees run with the machine's node (first on PATH), not code-server's Node 24.
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  if (opts.vsix) installExtension(opts.vscode, opts.vsix, userDataDir, extensionsDir, env);

  const port = opts.port ?? (await freePort());
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    opts.vscode.node,
    [
      opts.vscode.entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      opts.folder,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      output += chunk.toString();
      if (output.includes('HTTP server listening on')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((how) => reject(new Error(`code-server exited (${how}) before it was ready:\n${output.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`code-server was not ready within ${opts.readyTimeoutMs ?? 60_000} ms:\n${output.slice(-3000)}`)), opts.readyTimeoutMs ?? 60_000).unref();
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // The whole process group: code-server forks the extension host and the debuggees hang below it.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    out.end();
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}/`;
  /** VS Code's logs: one folder per window session, the extension host's channels inside. */
  const logs = join(userDataDir, 'logs');
  return {
    url,
    port,
    folderUrl: `${url}?folder=${encodeURIComponent(opts.folder)}`,
    home,
    userDataDir,
    extensionsDir,
    logFile,
    collectLogs(dir: string) {
      mkdirSync(dir, { recursive: true });
      if (existsSync(logFile)) cpSync(logFile, join(dir, 'code-server.log'));
      if (!existsSync(logs)) return;
      // logs/<date>/exthost1/** (one folder per output channel), plus the server's own logs beside it.
      for (const session of readdirSync(logs)) cpSync(join(logs, session), join(dir, session), { recursive: true });
    },
    extensionLog() {
      // logs/<date>/exthost<N>/loopscope.loopscope-vscode/Loopscope.log
      if (!existsSync(logs)) return '';
      let text = '';
      for (const session of readdirSync(logs))
        for (const host of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
          const file = join(logs, session, host, 'loopscope.loopscope-vscode', 'Loopscope.log');
          if (existsSync(file)) text += readFileSync(file, 'utf8');
        }
      return text;
    },
    stop,
  };
}

/** Removes a harness home folder (after a passing run). */
export function removeHome(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
