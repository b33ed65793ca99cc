import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reviewsRepository } from '../../src/features/reviews/reviews.repository.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: TestAgent
let member: TestAgent
let token: string
let memberToken: string
let reviewId: string
let meetingId: string

const idFrom = (location: string) => /([0-9a-f-]{36})(?:#.*)?$/.exec(location)![1]!
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  member = await signIn(t, f.users.BOARD_MEMBER)
  token = await csrfFor(manager)
  memberToken = await csrfFor(member)
  reviewId = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
    reviewsRepository().insertReview(trx, {
      partnershipId: f.partnershipId,
      kind: 'THEMATIC_AUDIT',
      name: 'Fixture neglect audit',
      reviewDate: null,
      createdBy: f.users.PARTNERSHIP_BUSINESS_MANAGER.id,
      at: new Date(),
    }),
  )
}, 120_000)
afterAll(async () => t.close())

describe('board meetings', () => {
  it('refuses a meeting without a title or a real date, keeping what was typed', async () => {
    const res = await manager
      .post('/board/meetings/new')
      .type('form')
      .send({ _csrf: token, title: '', 'date-day': '31', 'date-month': '2', 'date-year': '2026' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('The date of the meeting must be a real date')
    expect(res.text).toContain('Enter a title for the meeting')
    expect(res.text).toContain('value="31"')
  })

  it('creates a meeting and adds agenda items, one linked to a review’s report as at the meeting date', async () => {
    const res = await manager
      .post('/board/meetings/new')
      .type('form')
      .send({ _csrf: token, title: 'Partnership board – March', 'date-day': '10', 'date-month': '3', 'date-year': '2026' })
    expect(res.status).toBe(302)
    meetingId = idFrom(res.headers.location as string)
    const bad = await manager
      .post(`/board/meetings/${meetingId}/agenda/new`)
      .type('form')
      .send({ _csrf: token, title: 'Progress', reviewId: '00000000-0000-4000-8000-000000000000' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Choose a review from the list')
    for (const item of [
      { title: 'Progress report – neglect audit action plan', reviewId },
      { title: 'Any other business', reviewId: '' },
    ]) {
      expect(
        (
          await manager
            .post(`/board/meetings/${meetingId}/agenda/new`)
            .type('form')
            .send({ _csrf: token, ...item })
        ).status,
      ).toBe(302)
    }
    const page = await member.get(`/board/meetings/${meetingId}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain(`href="/reviews/${reviewId}/report?asAt=2026-03-10"`)
    expect(page.text).toContain('1. Progress report – neglect audit action plan')
    expect(page.text).toContain('2. Any other business')
    expect(page.text).not.toContain('data-qa="add-agenda-item"')
    expect((await manager.get('/board')).text).toContain('Partnership board – March')
  })

  it('saves minutes, and refuses a stale save keeping the typed text', async () => {
    const items = await asSystem((trx) =>
      trx.selectFrom('boardAgendaItem').select(['id', 'version']).where('meetingId', '=', meetingId).orderBy('position').execute(),
    )
    const itemId = items[0]!.id
    const first = await manager
      .post(`/board/meetings/${meetingId}/agenda/${itemId}/minutes`)
      .type('form')
      .send({ _csrf: token, version: '1', minutes: 'HT shared progress.\nTwo actions outstanding.' })
    expect(first.status).toBe(302)
    const stale = await manager
      .post(`/board/meetings/${meetingId}/agenda/${itemId}/minutes`)
      .type('form')
      .send({ _csrf: token, version: '1', minutes: 'My other wording' })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Someone else saved the minutes')
    expect(stale.text).toContain('My other wording')
    expect(stale.text).toContain('HT shared progress.<br />\nTwo actions outstanding.')
    const page = await manager.get(`/board/meetings/${meetingId}`)
    expect(page.text).toContain('HT shared progress.<br />')
  })

  it('numbers actions per partnership and flags overdue ones in the log', async () => {
    const items = await asSystem((trx) =>
      trx.selectFrom('boardAgendaItem').select('id').where('meetingId', '=', meetingId).orderBy('position').execute(),
    )
    const missing = await manager
      .post(`/board/meetings/${meetingId}/actions/new`)
      .type('form')
      .send({ _csrf: token, text: 'Update to the audit subgroup', ownerUserId: '', ownerText: '' })
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Choose who owns the action')
    expect(missing.text).toContain('Update to the audit subgroup')
    const one = await manager
      .post(`/board/meetings/${meetingId}/actions/new`)
      .type('form')
      .send({
        _csrf: token,
        text: 'Update on action plan to the audit subgroup',
        ownerUserId: f.users.AGENCY_LEAD.id,
        ownerText: '',
        agendaItemId: items[0]!.id,
        'due-day': '1',
        'due-month': '1',
        'due-year': '2020',
      })
    expect(one.status).toBe(302)
    const two = await manager
      .post(`/board/meetings/${meetingId}/actions/new`)
      .type('form')
      .send({
        _csrf: token,
        text: 'Feed into the JSNA',
        ownerUserId: '',
        ownerText: 'Chair of the audit subgroup',
        'due-day': '1',
        'due-month': '1',
        'due-year': '2099',
      })
    expect(two.status).toBe(302)
    const second = await manager
      .post('/board/meetings/new')
      .type('form')
      .send({ _csrf: token, title: 'Partnership board – June', 'date-day': '9', 'date-month': '6', 'date-year': '2026' })
    const secondId = idFrom(second.headers.location as string)
    await manager
      .post(`/board/meetings/${secondId}/actions/new`)
      .type('form')
      .send({ _csrf: token, text: 'Business plan to include HSB', ownerUserId: '', ownerText: 'Business manager' })
    const numbers = await asSystem((trx) =>
      trx
        .selectFrom('boardAction')
        .select(['number', 'meetingId'])
        .where('partnershipId', '=', f.partnershipId)
        .orderBy('number')
        .execute(),
    )
    expect(numbers.map((n) => [n.number, n.meetingId === meetingId])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ])
    const log = await member.get('/board/actions')
    expect(log.status).toBe(200)
    expect(log.text).toContain('1 overdue.')
    const rowOf = (label: string) => new RegExp(`data-qa="action-${label}"[\\s\\S]*?</tr>`).exec(log.text)![0]
    expect(rowOf('BA-001')).toContain('Overdue')
    expect(rowOf('BA-001')).toContain('Fixture AGENCY_LEAD')
    expect(rowOf('BA-002')).not.toContain('Overdue')
    expect(rowOf('BA-002')).toContain('Chair of the audit subgroup')
    expect(rowOf('BA-003')).toContain('Partnership board – June')
  })

  it('keeps every progress update, refuses a stale one with the text kept, and a done action is no longer overdue', async () => {
    const action = await asSystem((trx) =>
      trx
        .selectFrom('boardAction')
        .select('id')
        .where('partnershipId', '=', f.partnershipId)
        .where('number', '=', 1)
        .executeTakeFirstOrThrow(),
    )
    const url = `/board/actions/${action.id}/progress`
    expect(
      (await manager.post(url).type('form').send({ _csrf: token, version: '1', status: 'IN_PROGRESS', note: 'Presented in part.' })).status,
    ).toBe(302)
    const stale = await manager.post(url).type('form').send({ _csrf: token, version: '1', status: 'DONE', note: 'All done, I think' })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('All done, I think')
    expect(
      (
        await manager
          .post(url)
          .type('form')
          .send({ _csrf: token, version: '2', status: 'DONE', note: 'Presented at the subgroup – completed.' })
      ).status,
    ).toBe(302)
    const updates = await asSystem((trx) =>
      trx
        .selectFrom('boardActionUpdate')
        .select(['status', 'statusFrom', 'note'])
        .where('actionId', '=', action.id)
        .orderBy('id')
        .execute(),
    )
    expect(updates).toEqual([
      { status: 'IN_PROGRESS', statusFrom: 'OPEN', note: 'Presented in part.' },
      { status: 'DONE', statusFrom: 'IN_PROGRESS', note: 'Presented at the subgroup – completed.' },
    ])
    const page = await member.get(`/board/actions/${action.id}`)
    expect(page.text).toContain('Presented in part.')
    expect(page.text).toContain('In progress to Done')
    expect(page.text).not.toContain('data-qa="save-progress"')
    expect((await member.get('/board/actions')).text).toContain('0 overdue.')
    expect((await member.get('/board/actions')).text).not.toContain('data-qa="action-BA-001"')
    expect((await member.get('/board/actions?show=all')).text).toContain('data-qa="action-BA-001"')
  })

  it('offers as owners only the people of this partnership, and refuses anyone else’s', async () => {
    const system = { system: true as const, partnershipId: f.otherPartnershipId }
    const agencyId = await t.services.admin.service.createAgency(system, { name: 'Elsewhere Board Unit', kind: 'PARTNERSHIP' })
    const outsider = await t.services.admin.service.createUser(
      system,
      {
        displayName: 'Elsewhere Board Outsider',
        email: `elsewhere.board.${Date.now()}@fixture.example`,
        agencyId,
        roles: ['BOARD_MEMBER'],
        teamIds: [],
        password: TEST_PASSWORD,
      },
      null,
    )
    if (!outsider.ok) throw new Error('no user in the other partnership')
    const form = await manager.get(`/board/meetings/${meetingId}/actions/new`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('Fixture AGENCY_LEAD')
    expect(form.text).not.toContain('Elsewhere Board Outsider')
    expect(form.text).not.toContain(outsider.value)
    const refused = await manager
      .post(`/board/meetings/${meetingId}/actions/new`)
      .type('form')
      .send({ _csrf: token, text: 'Report to the other partnership', ownerUserId: outsider.value, ownerText: '' })
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('Choose the owner from the list')
  })

  it('lets board members read but not change anything', async () => {
    expect((await member.get('/board')).status).toBe(200)
    expect((await member.get('/board/meetings/new')).status).toBe(403)
    expect(
      (
        await member
          .post('/board/meetings/new')
          .type('form')
          .send({ _csrf: memberToken, title: 'X', 'date-day': '1', 'date-month': '1', 'date-year': '2026' })
      ).status,
    ).toBe(403)
    const social = await signIn(t, f.users.SOCIAL_WORKER)
    expect((await social.get('/board')).status).toBe(403)
  })
})
