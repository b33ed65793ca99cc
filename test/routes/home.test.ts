import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_ROLES } from '../../src/platform/access/roles.js'
import { landingFor } from '../../src/features/home/landing.rules.js'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
})
afterAll(async () => t.close())

describe('landing pages', () => {
  it('gives every role its own landing page', () => {
    const keys = ALL_ROLES.map((r) => landingFor([r]).key)
    expect(keys.every((k) => k !== 'none')).toBe(true)
  })

  it('lands each role on a page fit for it, with only the navigation it can use', async () => {
    for (const role of ALL_ROLES) {
      const agent = await signIn(t, f.users[role])
      const home = await agent.get('/')
      const landing = landingFor([role])
      if (landing.key === 'admin') {
        expect(home.status, role).toBe(302)
        expect(home.headers.location).toBe('/admin/users')
        continue
      }
      // Case roles land on their work queue, which carries the landing heading.
      expect(home.status, role).toBe(landing.redirect ? 302 : 200)
      if (landing.redirect) expect(home.headers.location, role).toBe(landing.redirect)
      const res = landing.redirect ? await agent.get(landing.redirect) : home
      expect(res.status, role).toBe(200)
      expect(res.text).toContain(`data-landing="${landing.key}"`)
      expect(res.text).toContain(landing.heading.replace(/’/g, '&#8217;').replace(/&#8217;/g, '’'))
      expect(res.text.includes('href="/admin/users"'), role).toBe(false)
    }
  }, 60_000)

  it('offers "Find a child" to practitioners only', async () => {
    const { navigationFor } = await import('../../src/features/home/navigation.js')
    const user = (role: string) => ({
      ...f.users[role as 'REFERRER'],
      id: 'u',
      partnershipId: 'p',
      agencyId: 'a',
      teamIds: [],
      roles: [role as 'REFERRER'],
      displayName: '',
      email: '',
      agencyName: '',
    })
    const hrefs = (role: string) => navigationFor(user(role), '/').map((i) => i.href)
    expect(hrefs('REFERRER')).toContain('/children/search')
    expect(hrefs('REFERRER')).toContain('/requests')
    expect(hrefs('BOARD_MEMBER')).not.toContain('/requests')
    expect(hrefs('POLICE_OFFICER')).toContain('/children/search')
    expect(hrefs('BOARD_MEMBER')).not.toContain('/children/search')
    expect(hrefs('SYSTEM_ADMINISTRATOR')).not.toContain('/children/search')
  })

  it('offers action plans and the board to the learning and improvement roles only', async () => {
    const { navigationFor } = await import('../../src/features/home/navigation.js')
    const user = (role: string) => ({
      ...f.users[role as 'REFERRER'],
      id: 'u',
      partnershipId: 'p',
      agencyId: 'a',
      teamIds: [],
      roles: [role as 'REFERRER'],
      displayName: '',
      email: '',
      agencyName: '',
    })
    const hrefs = (role: string) => navigationFor(user(role), '/').map((i) => i.href)
    expect(hrefs('PARTNERSHIP_BUSINESS_MANAGER')).toEqual(expect.arrayContaining(['/reviews', '/board']))
    expect(hrefs('AGENCY_LEAD')).toContain('/reviews')
    expect(hrefs('LEAD_AUDITOR')).toContain('/case-audits')
    expect(hrefs('BOARD_MEMBER')).toContain('/board')
    expect(hrefs('SOCIAL_WORKER')).not.toContain('/reviews')
    expect(hrefs('SOCIAL_WORKER')).not.toContain('/board')
  })

  it('offers the insight dashboard to the roles that read figures, and lands board members and analysts on it', async () => {
    const { navigationFor } = await import('../../src/features/home/navigation.js')
    const user = (role: string) => ({
      ...f.users[role as 'REFERRER'],
      id: 'u',
      partnershipId: 'p',
      agencyId: 'a',
      teamIds: [],
      roles: [role as 'REFERRER'],
      displayName: '',
      email: '',
      agencyName: '',
    })
    const hrefs = (role: string) => navigationFor(user(role), '/').map((i) => i.href)
    for (const role of ['BOARD_MEMBER', 'ANALYST', 'HSB_LEAD', 'PARTNERSHIP_BUSINESS_MANAGER'])
      expect(hrefs(role), role).toContain('/insight')
    for (const role of ['SOCIAL_WORKER', 'REFERRER', 'SYSTEM_ADMINISTRATOR']) expect(hrefs(role), role).not.toContain('/insight')
    expect(landingFor(['BOARD_MEMBER']).redirect).toBe('/insight')
    expect(landingFor(['ANALYST']).redirect).toBe('/insight')
  })

  it('shows a person with several roles the page of their main role', () => {
    expect(landingFor(['BOARD_MEMBER', 'SOCIAL_WORKER']).key).toBe('my-work')
    expect(landingFor([]).key).toBe('none')
  })
})
