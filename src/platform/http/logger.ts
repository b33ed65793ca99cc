import { pino, type Logger } from 'pino'

/**
 * Logs carry ids (request, user, record) and never names, emails or case text. Query strings are
 * dropped from logged URLs because a search box could put a child's name there.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hsb-pathway' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.email'],
      censor: '[redacted]',
    },
  })
}

export function pathOnly(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? ''
}
