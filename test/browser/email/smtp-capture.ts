import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One message as the local SMTP server received it. */
export type CapturedEmail = { from: string; to: string[]; subject: string; body: string; raw: string }

export type SmtpCapture = {
  port: number
  messages: CapturedEmail[]
  /** Waits until a message matching `match` has arrived (polling), or throws after `timeoutMs`. */
  waitFor(match: (m: CapturedEmail) => boolean, timeoutMs?: number): Promise<CapturedEmail>
  close(): Promise<void>
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** Headers and the (decoded) text body of a single-part message. */
function parse(raw: string): { subject: string; body: string } {
  const split = raw.search(/\r?\n\r?\n/)
  const head = split >= 0 ? raw.slice(0, split) : raw
  const rest = split >= 0 ? raw.slice(split).replace(/^\r?\n\r?\n/, '') : ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  const body =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(rest)
      : encoding === 'base64'
        ? Buffer.from(rest, 'base64').toString('utf8')
        : rest
  return { subject: header('Subject'), body: body.replace(/\r\n/g, '\n') }
}

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps every message it is
 * sent. No TLS and no authentication: the application's nodemailer transport talks plain SMTP to it.
 */
export async function startSmtpCapture(port = 0): Promise<SmtpCapture> {
  const messages: CapturedEmail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const envelope = session.envelope
        messages.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((a) => a.address),
          ...parse(raw),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actual = (server.server.address() as AddressInfo).port
  return {
    port: actual,
    messages,
    // Generous: on a busy machine the drain (pg-boss on PostgreSQL) can take a while; a wait, not a timing assertion.
    async waitFor(match, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const found = messages.find(match)
        if (found) return found
        if (Date.now() > until) throw new Error(`No matching email within ${timeoutMs} ms (${messages.length} received)`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port nothing listens on just now (an SMTP server that is down). */
export async function freePort(): Promise<number> {
  const probe = await startSmtpCapture(0)
  await probe.close()
  return probe.port
}
