import { currentTotpCode } from '../../src/platform/auth/totp.js'

/**
 * Signs a person in over HTTP through the real pages (password, then TOTP) and returns the
 * session cookie, for load tools that send it with every request. A TOTP code works once per
 * 30-second step: if this step's code was used already, it waits for the next step.
 */
export type Session = { cookie: string; csrf: string }

function cookieFrom(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';')
    const i = pair!.indexOf('=')
    jar.set(pair!.slice(0, i), pair!.slice(i + 1))
  }
}
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
export const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

export async function signInOverHttp(
  baseUrl: string,
  user: { email: string; totpSecret: string },
  password: string,
  attempt = 0,
): Promise<Session> {
  const jar = new Map<string, string>()
  const get = async (path: string) => {
    const res = await fetch(baseUrl + path, { headers: { cookie: header(jar) }, redirect: 'manual' })
    cookieFrom(res, jar)
    return { status: res.status, text: await res.text(), location: res.headers.get('location') }
  }
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    })
    cookieFrom(res, jar)
    return { status: res.status, location: res.headers.get('location'), text: await res.text() }
  }
  const page = await get('/sign-in')
  const step1 = await post('/sign-in', { _csrf: csrfIn(page.text), email: user.email, password })
  if (step1.status !== 302 || step1.location !== '/sign-in/code') throw new Error(`password step failed for ${user.email}: ${step1.status}`)
  const codePage = await get('/sign-in/code')
  const step2 = await post('/sign-in/code', { _csrf: csrfIn(codePage.text), code: await currentTotpCode(user.totpSecret) })
  if (step2.status !== 302) {
    if (attempt >= 1) throw new Error(`code step failed for ${user.email}: ${step2.status}`)
    // This step's code was used already (a run moments ago): wait for the next step.
    await new Promise((r) => setTimeout(r, (30 - ((Date.now() / 1000) % 30)) * 1000 + 200))
    return signInOverHttp(baseUrl, user, password, attempt + 1)
  }
  const home = await get('/accessibility')
  return { cookie: header(jar), csrf: csrfIn(home.text) }
}
