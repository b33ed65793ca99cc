import { createHmac, randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Many sessions for one signed-in person, so each load-test connection has its own (as real
 * clients do) instead of all sharing one session row. A TOTP code works once per 30 seconds,
 * so signing in 64 times would take half an hour: the signed-in session row is copied under new
 * ids, and each cookie is signed as express-session signs it (cookie-signature: HMAC-SHA256
 * of the id with the session secret, base64 without padding). PostgreSQL only.
 */
export async function cloneSessions(databaseUrl: string, cookieHeader: string, secret: string, count: number): Promise<string[]> {
  const match = /(?:^|;\s*)((?:__Host-)?hsb-session)=([^;]+)/.exec(cookieHeader)
  if (!match) throw new Error('no session cookie to clone')
  const [, name, raw] = match
  const value = decodeURIComponent(raw!)
  const sid = value.slice(2, value.lastIndexOf('.'))
  const c = new pg.Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    const cookies: string[] = []
    for (let i = 0; i < count; i++) {
      const newSid = randomBytes(24).toString('base64url')
      const copied = await c.query(
        'INSERT INTO http_session (sid, user_id, data, expires_at, created_at) SELECT $1, user_id, data, expires_at, created_at FROM http_session WHERE sid = $2',
        [newSid, sid],
      )
      if (copied.rowCount !== 1) throw new Error('the signed-in session row was not found')
      const signature = createHmac('sha256', secret).update(newSid).digest('base64').replace(/=+$/, '')
      cookies.push(`${name}=${encodeURIComponent(`s:${newSid}.${signature}`)}`)
    }
    return cookies
  } finally {
    await c.end()
  }
}
