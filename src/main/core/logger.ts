/** The core logs through this; hosts decide where it goes. Never pass a secret in `fields`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** JSON lines on a writable (stderr for the CLI and serve), at or above `level`. */
export function jsonLogger(write: (line: string) => void, level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const at = (l: (typeof order)[number]) => (message: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(l) < order.indexOf(level)) return;
    // A field named like the line's own keys (`message`, say) must not replace them.
    const { time: _time, level: _level, message: _message, ...rest } = fields ?? {};
    write(`${JSON.stringify({ time: new Date().toISOString(), level: l, message, ...rest })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Remembered lines of a sentence logger; beyond this a long-running host forgets the oldest. */
const REMEMBERED = 500;

/**
 * Warnings and errors for a person at a terminal, as sentences: "warning: A run was interrupted
 * when its process stopped (run id 5f0..., job shop, pid 4242)." Each distinct line is printed
 * once, however often the core logs it; JSON lines are for log files and --log-format json.
 */
export function sentenceLogger(write: (line: string) => void, level: 'warn' | 'error' = 'warn'): Logger {
  const said = new Set<string>();
  const at = (l: 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (l === 'warn' && level === 'error') return;
    const line = `${l === 'error' ? 'error' : 'warning'}: ${asSentence(message, fields)}\n`;
    if (said.has(line)) return;
    if (said.size >= REMEMBERED) said.delete(said.values().next().value!);
    said.add(line);
    write(line);
  };
  return { debug() {}, info() {}, warn: at('warn'), error: at('error') };
}

/** "could not remove a file", { path: '/x' } -> "Could not remove a file (path: /x)." */
export function asSentence(message: string, fields: Record<string, unknown> = {}): string {
  const text = message.trim().replace(/[.:]$/, '');
  const details = Object.entries(fields)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    // A stack or a tool's output: its first line is what a person reads; the log file has the rest.
    .map(([k, v]) => [k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), String(v).split('\n')[0]!.trim()] as const)
    .filter(([, v]) => v !== '' && !text.includes(v))
    .map(([k, v]) => `${k}: ${v}`);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${details.length ? ` (${details.join(', ')})` : ''}.`;
}

/** Every line to each of `loggers` (stderr and the log file), each keeping its own level. */
export function teeLogger(...loggers: Logger[]): Logger {
  const each =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      for (const l of loggers) l[level](message, fields);
    };
  return { debug: each('debug'), info: each('info'), warn: each('warn'), error: each('error') };
}

/** The same logger with `fields` added to every line (a run's id, say). */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (m, f) => log.debug(m, { ...fields, ...f }),
    info: (m, f) => log.info(m, { ...fields, ...f }),
    warn: (m, f) => log.warn(m, { ...fields, ...f }),
    error: (m, f) => log.error(m, { ...fields, ...f }),
  };
}
