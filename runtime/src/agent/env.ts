/**
 * What the debugger asked of the runtime through its environment (LOOPSCOPE_CONNECT or
 * LOOPSCOPE_LISTEN, LOOPSCOPE_SECRET, LOOPSCOPE_STOP_ON_ENTRY), checked: loopback addresses only.
 */
import { ENV } from '../protocol/wire';

export interface AgentConfig {
  /** connect: the runtime connects out to a debugger (launch); listen: it waits for one (attach). */
  mode: 'connect' | 'listen';
  host: string;
  port: number;
  /** null: listen mode without a secret (one is generated and printed). */
  secret: string | null;
  stopOnEntry: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `host:port`, `[::1]:port`, or (listen) a bare port; the host must be loopback. */
export function parseAddress(text: string, variable: string): { host: string; port: number } {
  let host = '127.0.0.1';
  let portText = text.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(portText) ?? /^([^:]+):(\d+)$/.exec(portText);
  if (m) {
    host = m[1];
    portText = m[2];
  }
  if (!/^\d+$/.test(portText)) throw new Error(`${variable}=${JSON.stringify(text)} is not an address: expected host:port, e.g. 127.0.0.1:9339`);
  const port = Number(portText);
  if (port > 65535) throw new Error(`${variable}=${JSON.stringify(text)}: the port must be 0..65535`);
  if (!LOOPBACK.has(host)) throw new Error(`${variable}=${JSON.stringify(text)}: only loopback addresses (127.0.0.1, ::1, localhost) are allowed, the debug channel is not meant for the network`);
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

/** The agent's configuration, or null when no debugger asked for one. Throws (a message for the user) on a bad setting. */
export function readAgentConfig(env: NodeJS.ProcessEnv): AgentConfig | null {
  const connect = env[ENV.connect];
  const listen = env[ENV.listen];
  if (!connect && !listen) return null;
  if (connect && listen) throw new Error(`both ${ENV.connect} and ${ENV.listen} are set; set only one`);
  const secret = env[ENV.secret] || null;
  const stopOnEntry = /^(1|true|yes)$/i.test(env[ENV.stopOnEntry] ?? '');
  if (connect) {
    const { host, port } = parseAddress(connect, ENV.connect);
    if (port === 0) throw new Error(`${ENV.connect}=${connect}: port 0 cannot be connected to`);
    if (secret === null) throw new Error(`${ENV.connect} is set but ${ENV.secret} is not: the debugger gives both`);
    return { mode: 'connect', host, port, secret, stopOnEntry };
  }
  const { host, port } = parseAddress(listen!, ENV.listen);
  return { mode: 'listen', host, port, secret, stopOnEntry };
}

/** Removes the debugger's variables, so that child processes do not connect with this session's secret. */
export function scrubAgentEnv(env: NodeJS.ProcessEnv): void {
  for (const k of Object.values(ENV)) delete env[k];
}
