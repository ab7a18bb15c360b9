// Runs one benchmark process and returns the JSON line it prints.
import { spawn } from 'node:child_process';

const TIMEOUT_MS = 120_000;

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, timeoutMs?: number, label?: string }} [opts]
 * @returns {Promise<any>}
 */
export function runChild(cmd, args, opts = {}) {
  const label = opts.label ?? `${cmd} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: no result within ${(opts.timeoutMs ?? TIMEOUT_MS) / 1000} s`));
    }, opts.timeoutMs ?? TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${label}: cannot start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${label}: exited with ${code ?? signal}\n${err.trim()}`));
        return;
      }
      const line = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line ?? ''));
      } catch {
        reject(new Error(`${label}: printed no JSON result: ${JSON.stringify(out.slice(-500))}\n${err.trim()}`));
      }
    });
  });
}
