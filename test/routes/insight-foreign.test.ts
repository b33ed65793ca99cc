import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { financialYear, financialYearOf } from '../../src/features/insight/insight.query.js'
import { londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

/**
 * Another partnership's board report and provision entry, asked for by id: a page that does not
 * exist (404) for the HSB lead and the business manager here, on every route that takes the id,
 * reading or writing, and nothing changes.
 */
let t: TestApp
let f: Fixtures
let lead: TestAgent
let manager: TestAgent
let reportId: string
let provisionId: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const system = { system: true as const, partnershipId: f.otherPartnershipId }
  const agencyId = await t.services.admin.service.createAgency(system, { name: 'Elsewhere Partnership Unit', kind: 'PARTNERSHIP' })
  const created = await t.services.admin.service.createUser(
    system,
    {
      displayName: 'Elsewhere Manager',
      email: `elsewhere.manager.${Date.now()}@fixture.example`,
      agencyId,
      roles: ['PARTNERSHIP_BUSINESS_MANAGER', 'HSB_LEAD'],
      teamIds: [],
      password: TEST_PASSWORD,
    },
    null,
  )
  if (!created.ok) throw new Error('no user in the other partnership')
  const elsewhere = (await t.services.auth.currentUser(created.value))!
  const insight = t.services.insight.service
  const year = financialYear(financialYearOf(londonDate(new Date())) - 1)
  const report = await insight.report.create(elsewhere, { title: 'Elsewhere annual report', period: year.key, from: '', to: '' }, 'foreign')
  if (!report.ok) throw new Error(JSON.stringify(report.errors))
  reportId = report.reportId
  const provision = await insight.workforce.provision.create(
    elsewhere,
    {
      service: 'Elsewhere service',
      provider: 'Elsewhere provider',
      levels: ['HIGH'],
      capacity: '4',
      notes: '',
      endedOn: { day: '', month: '', year: '' },
    },
    'foreign',
  )
  if (!provision.ok) throw new Error('no provision entry')
  provisionId = (
    await transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('provision').select('id').where('partnershipId', '=', f.otherPartnershipId).executeTakeFirstOrThrow(),
    )
  ).id
  lead = await signIn(t, f.users.HSB_LEAD)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
}, 120_000)
afterAll(async () => t.close())

describe('another partnership’s insight records', () => {
  it('are not found on any route that takes their id, and nothing changes', async () => {
    for (const agent of [lead, manager]) {
      for (const path of [
        `/insight/reports/${reportId}`,
        `/insight/reports/${reportId}.docx`,
        `/insight/reports/${reportId}.pdf`,
        `/insight/reports/${reportId}/sections/where-were-we`,
      ]) {
        const res = await agent.get(path)
        expect(res.status, path).toBe(404)
        expect(res.text, path).not.toContain('Elsewhere')
      }
      const csrf = await csrfFor(agent)
      const section = await agent
        .post(`/insight/reports/${reportId}/sections/where-were-we`)
        .type('form')
        .send({ _csrf: csrf, version: '0', body: 'Written from another partnership' })
      expect(section.status).toBe(404)
    }
    const edit = await manager.get(`/insight/provision/${provisionId}/edit`)
    expect(edit.status).toBe(404)
    expect(edit.text).not.toContain('Elsewhere')
    const csrf = await csrfFor(manager)
    const post = await manager
      .post(`/insight/provision/${provisionId}/edit`)
      .type('form')
      .send({ _csrf: csrf, version: '1', service: 'Taken over', provider: 'X', levels: 'LOW', capacity: '', notes: '' })
    expect(post.status).toBe(404)
    const [sections, entry] = await transaction(
      t.services.db,
      'system',
      async (trx) =>
        [
          await trx.selectFrom('boardReportSection').select('id').where('reportId', '=', reportId).execute(),
          await trx.selectFrom('provision').select(['service', 'version']).where('id', '=', provisionId).executeTakeFirstOrThrow(),
        ] as const,
    )
    expect(sections).toEqual([])
    expect(entry).toEqual({ service: 'Elsewhere service', version: 1 })
  })
})
