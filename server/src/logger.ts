import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Log lines carry ids, routes, statuses and timings, never personal data. Handlers never pass bodies to the
 * logger; the redaction below is a second line of defence for anything that slips through.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'password',
          'token',
          'email',
          'body',
          'name',
          'phone',
          '*.password',
          '*.token',
          '*.email',
          '*.body',
          '*.name',
          '*.phone',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Error details safe to log: a driver's message may quote the offending value (an e-mail in a duplicate key). */
export function safeError(err: unknown): { name: string; code?: unknown; stack?: string } {
  if (!(err instanceof Error)) return { name: typeof err };
  const frames = err.stack?.split('\n').slice(1).join('\n');
  return { name: err.name, code: (err as { code?: unknown }).code, ...(frames ? { stack: frames } : {}) };
}
