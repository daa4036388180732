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
