// pino logger. Redaction is a safety net; the real rule is that callers never log NIKs, codes,
// passwords, tokens or contacts in the first place (tests scan the log for them).
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'fairslot' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'nik',
          '*.nik',
          'code',
          '*.code',
          'contact',
          '*.contact',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
