import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Small hardening from the outside test (issue 14): /health tells the public UP or DOWN only,
 * every response carries a Permissions-Policy, text is compressed (downloads still arrive whole),
 * and the layout preloads the fonts so that text does not move when they arrive.
 */
const TOKEN = 'health-details-token-for-the-platform-0123456789'
let t: TestApp
let f: Fixtures
let lead: TestAgent

beforeAll(async () => {
  t = await createTestApp({ HEALTH_DETAILS_TOKEN: TOKEN })
  f = await createFixtures(t.services)
  lead = await signIn(t, f.users.HSB_LEAD)
}, 120_000)
afterAll(async () => t.close())

describe('/health', () => {
  it('tells anyone UP and nothing else: not the database’s kind, not the uptime', async () => {
    const res = await request(t.app).get('/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'UP' })
    expect(res.text).not.toMatch(/pglite|postgres|uptime|kind/i)
  })

  it('gives nothing more for a wrong token, or a token not sent as a bearer token', async () => {
    for (const authorization of ['Bearer not-the-token', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN}x`, 'Bearer ']) {
      const res = await request(t.app).get('/health').set('Authorization', authorization)
      expect(res.body).toEqual({ status: 'UP' })
    }
  })

  it('gives the platform, presenting the configured token, the database check and the uptime', async () => {
    const res = await request(t.app).get('/health').set('Authorization', `Bearer ${TOKEN}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'UP', components: { database: { status: 'UP', details: { kind: expect.any(String) } } } })
    expect(res.body.uptime).toEqual(expect.any(Number))
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('gives no details to anyone when no token is configured, whatever is presented', async () => {
    const plain = await createTestApp()
    try {
      const res = await request(plain.app).get('/health').set('Authorization', 'Bearer ')
      expect(res.body).toEqual({ status: 'UP' })
      const none = await request(plain.app).get('/health').set('Authorization', 'Bearer undefined')
      expect(none.body).toEqual({ status: 'UP' })
    } finally {
      await plain.close()
    }
  }, 120_000)
})

describe('Permissions-Policy', () => {
  it('turns off the camera, microphone, location, payment and USB on every kind of response', async () => {
    const responses = [
      await request(t.app).get('/health'),
      await request(t.app).get('/ping'),
      await request(t.app).get('/sign-in'),
      await request(t.app).get('/assets/stylesheets/application.css'),
      await request(t.app).get('/no-such-page'),
      await lead.get('/work'),
    ]
    for (const res of responses) {
      const policy = String(res.headers['permissions-policy'])
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(policy).toContain(`${feature}=()`)
    }
  })
})

describe('text compression', () => {
  it('sends pages, stylesheets and scripts with brotli or gzip, as the browser accepts', async () => {
    for (const encoding of ['br', 'gzip']) {
      const page = await lead.get('/work').set('Accept-Encoding', encoding)
      expect(page.status).toBe(200)
      expect(page.headers['content-encoding']).toBe(encoding)
      expect(page.headers.vary).toMatch(/Accept-Encoding/i)
      expect(page.text).toContain('<title>')
      for (const asset of ['/assets/stylesheets/govuk-frontend.min.css', '/assets/javascripts/govuk-frontend.min.js']) {
        const res = await request(t.app).get(asset).set('Accept-Encoding', encoding)
        expect(res.headers['content-encoding']).toBe(encoding)
      }
    }
  })

  it('sends a page as it is to a browser that accepts no compression', async () => {
    const page = await lead.get('/work').set('Accept-Encoding', 'identity')
    expect(page.status).toBe(200)
    expect(page.headers['content-encoding']).toBeUndefined()
  })

  it('keeps downloads whole: a CSV compressed arrives the same as uncompressed, a PDF is sent as it is', async () => {
    const csvPath = '/insight/figures/all.csv'
    const plain = await lead.get(csvPath).set('Accept-Encoding', 'identity')
    const zipped = await lead.get(csvPath).set('Accept-Encoding', 'br')
    expect(plain.status).toBe(200)
    expect(zipped.headers['content-encoding']).toBe('br')
    expect(zipped.headers['content-disposition']).toBe(plain.headers['content-disposition'])
    // The CSV names when it was made (to the second): compare all but that line.
    const body = (s: string) => s.replace(/^.*[Gg]enerated.*$/m, '')
    expect(body(zipped.text)).toBe(body(plain.text))
    expect(zipped.text.length).toBeGreaterThan(100)

    const caseId = f.caseOf[f.children.HSB_LEAD.INVOLVED]!
    const pdf = await lead
      .get(`/cases/${caseId}/chronology.pdf`)
      .set('Accept-Encoding', 'br, gzip')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(pdf.status).toBe(200)
    expect(pdf.headers['content-encoding']).toBeUndefined()
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-')
    expect(Number(pdf.headers['content-length'])).toBe((pdf.body as Buffer).length)
  })
})

describe('fonts', () => {
  it('are preloaded by every page, and served from the path the stylesheet asks for', async () => {
    const page = await request(t.app).get('/sign-in')
    const preloads = [...page.text.matchAll(/<link rel="preload" href="([^"]+)" as="font" type="font\/woff2" crossorigin>/g)].map(
      (m) => m[1]!,
    )
    expect(preloads).toHaveLength(2)
    const css = (await request(t.app).get('/assets/stylesheets/govuk-frontend.min.css')).text
    for (const href of preloads) {
      expect(css).toContain(`url(${href})`)
      const font = await request(t.app).get(href)
      expect(font.status).toBe(200)
      expect(font.headers['content-type']).toBe('font/woff2')
    }
  })
})
