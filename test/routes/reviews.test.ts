import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOARD_PLAN_COLUMNS, type ImportedPlan } from '../../src/features/reviews/imported-plan.js'
import { evidenceStore } from '../../src/features/reviews/reviews.evidence.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: TestAgent
let agencyLead: TestAgent
let board: TestAgent
let managerUser: CurrentUser
const csrf = new Map<TestAgent, string>()

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const reviews = () => t.services.reviews.service
const idFrom = (location: string | undefined, pattern: RegExp) => pattern.exec(location ?? '')![1]!

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  managerUser = (await t.services.auth.currentUser(f.users.PARTNERSHIP_BUSINESS_MANAGER.id))!
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  agencyLead = await signIn(t, f.users.AGENCY_LEAD)
  board = await signIn(t, f.users.BOARD_MEMBER)
  for (const a of [manager, agencyLead, board]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

const post = (agent: TestAgent, url: string, body: Record<string, string>) =>
  agent
    .post(url)
    .type('form')
    .send({ _csrf: csrf.get(agent)!, ...body })

/** A review built through the pages: one finding, one question, responses from children's services (the agency lead's) and police, an action each. */
async function planThroughPages(name: string) {
  const created = await post(manager, '/reviews/new', {
    kind: 'RAPID_REVIEW',
    name,
    'review-date-day': '3',
    'review-date-month': '2',
    'review-date-year': '2025',
  })
  expect(created.status).toBe(302)
  const reviewId = idFrom(created.headers.location, /^\/reviews\/([0-9a-f-]{36})$/)
  const finding = await post(manager, `/reviews/${reviewId}/findings/new`, {
    number: '1',
    title: 'Information sharing',
    narrative: 'Agencies did not share what they knew.',
  })
  const findingId = idFrom(finding.headers.location, /#finding-(.+)$/)
  const question = await post(manager, `/reviews/${reviewId}/findings/${findingId}/questions/new`, {
    code: '1a',
    text: 'How will agencies share concerns at the front door?',
  })
  const questionId = idFrom(question.headers.location, /#question-(.+)$/)
  const csc = await post(manager, `/reviews/${reviewId}/questions/${questionId}/responses/new`, {
    agency: f.agencyIds.csc,
    response: 'We will attend every strategy discussion.',
  })
  const cscResponse = idFrom(csc.headers.location, /#response-(.+)$/)
  const police = await post(manager, `/reviews/${reviewId}/questions/${questionId}/responses/new`, {
    agency: f.agencyIds.police,
    response: 'Police will share within 24 hours.',
  })
  const policeResponse = idFrom(police.headers.location, /#response-(.+)$/)
  const a1 = await post(manager, `/reviews/${reviewId}/responses/${cscResponse}/actions/new`, {
    text: 'Update the front door procedure',
    rag: 'AMBER',
    'target-date-day': '31',
    'target-date-month': '3',
    'target-date-year': '2025',
    'lead-text': 'JF',
  })
  expect(a1.status).toBe(302)
  const cscAction = idFrom(a1.headers.location, /actions\/(.+)$/)
  const a2 = await post(manager, `/reviews/${reviewId}/responses/${policeResponse}/actions/new`, {
    text: 'Brief all CPU officers',
    rag: 'GREEN',
    'target-text': 'end of Q3',
  })
  const policeAction = idFrom(a2.headers.location, /actions\/(.+)$/)
  return { reviewId, findingId, questionId, cscResponse, policeResponse, cscAction, policeAction }
}

describe('reviews and action plans', () => {
  it('the business manager creates a review with a finding, question, agency responses and actions; everyone who reads reviews sees it', async () => {
    const p = await planThroughPages('Rapid review RR-1')
    const page = await manager.get(`/reviews/${p.reviewId}`)
    expect(page.status).toBe(200)
    for (const text of [
      'Rapid review RR-1',
      'Information sharing',
      'How will agencies share concerns',
      'Fixture Police',
      'Update the front door procedure',
      'Brief all CPU officers',
      'end of Q3',
    ])
      expect(page.text).toContain(text)
    // The target date has passed and the action is not complete: flagged.
    expect(page.text).toMatch(/data-action-id="[^"]+"[\s\S]*data-qa="overdue"/)
    expect((await board.get(`/reviews/${p.reviewId}`)).status).toBe(200)
    expect((await board.get('/reviews')).text).toContain('Rapid review RR-1')
  })

  it('refuses a second review with the same name, a question code used twice, and a second response from the same agency', async () => {
    const p = await planThroughPages('Rapid review RR-2')
    const again = await post(manager, '/reviews/new', { kind: 'RAPID_REVIEW', name: 'rapid review rr-2' })
    expect(again.status).toBe(400)
    expect(again.text).toContain('A review with this name already exists')
    expect(again.text).toContain('value="rapid review rr-2"')
    const code = await post(manager, `/reviews/${p.reviewId}/findings/${p.findingId}/questions/new`, { code: '1A', text: 'Different text' })
    expect(code.status).toBe(400)
    expect(code.text).toContain('already has a question with this code')
    const twice = await post(manager, `/reviews/${p.reviewId}/questions/${p.questionId}/responses/new`, {
      agency: f.agencyIds.police,
      response: 'Again',
    })
    expect(twice.status).toBe(400)
  })

  it('keeps every progress update, dated, with its RAG change and who made it', async () => {
    const p = await planThroughPages('Rapid review RR-3')
    const first = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.cscAction}/progress`, {
      version: '1',
      note: 'Draft procedure written',
      rag: 'GREEN',
    })
    expect(first.status).toBe(302)
    const second = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.cscAction}/progress`, {
      version: '2',
      note: 'Procedure signed off by the board',
      rag: 'COMPLETED',
    })
    expect(second.status).toBe(302)
    const versions = await asSystem((trx) =>
      trx
        .selectFrom('reviewActionVersion')
        .select(['version', 'change', 'ragFrom', 'rag', 'progressNote', 'recordedBy'])
        .where('actionId', '=', p.cscAction)
        .orderBy('version')
        .execute(),
    )
    expect(versions.map((v) => [v.version, v.change, v.ragFrom, v.rag, v.progressNote])).toEqual([
      [1, 'CREATED', null, 'AMBER', null],
      [2, 'PROGRESS', 'AMBER', 'GREEN', 'Draft procedure written'],
      [3, 'PROGRESS', 'GREEN', 'COMPLETED', 'Procedure signed off by the board'],
    ])
    expect(versions[2]!.recordedBy).toBe(f.users.AGENCY_LEAD.id)
    const page = await board.get(`/reviews/${p.reviewId}/actions/${p.cscAction}`)
    expect(page.text).toContain('Draft procedure written')
    expect(page.text).toContain('Procedure signed off by the board')
    expect(page.text).not.toContain('data-qa="progress-form"')
    // The history table refuses changes to what was recorded.
    await expect(
      t.services.db
        .updateTable('reviewActionVersion')
        .set({ progressNote: 'x' } as never)
        .where('actionId', '=', p.cscAction)
        .execute(),
    ).rejects.toThrow()
  })

  it('refuses a stale update with 409 and keeps what was typed', async () => {
    const p = await planThroughPages('Rapid review RR-4')
    expect(
      (await post(manager, `/reviews/${p.reviewId}/actions/${p.cscAction}/progress`, { version: '1', note: 'Manager update', rag: 'RED' }))
        .status,
    ).toBe(302)
    const stale = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.cscAction}/progress`, {
      version: '1',
      note: 'My carefully typed update',
      rag: 'GREEN',
    })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('My carefully typed update')
    expect(stale.text).toContain('Someone else changed this action')
    // The re-shown form carries the version saved now, so saving again works.
    expect(stale.text).toContain('name="version" value="2"')
    const editStale = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.cscAction}/edit`, {
      version: '1',
      text: 'My rewritten action',
      rag: 'GREEN',
    })
    expect(editStale.status).toBe(409)
    expect(editStale.text).toContain('My rewritten action')
    const current = await asSystem((trx) =>
      trx.selectFrom('reviewAction').select(['rag', 'version', 'text']).where('id', '=', p.cscAction).executeTakeFirstOrThrow(),
    )
    expect(current).toEqual({ rag: 'RED', version: 2, text: 'Update the front door procedure' })
  })

  it('lets an agency lead update their own agency’s actions only; anything else is refused and audited', async () => {
    const p = await planThroughPages('Rapid review RR-5')
    const own = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.cscAction}/edit`, {
      version: '1',
      text: 'Update the front door procedure',
      rag: 'GREEN',
      'target-text': 'June',
      evidence: 'New procedure on the intranet',
    })
    expect(own.status).toBe(302)
    const other = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.policeAction}/progress`, {
      version: '1',
      note: 'Not mine',
      rag: 'RED',
    })
    expect(other.status).toBe(403)
    expect((await agencyLead.get(`/reviews/${p.reviewId}/actions/${p.policeAction}/edit`)).status).toBe(403)
    expect((await post(agencyLead, `/reviews/${p.reviewId}/responses/${p.cscResponse}/actions/new`, { text: 'x' })).status).toBe(403)
    const page = await agencyLead.get(`/reviews/${p.reviewId}/actions/${p.policeAction}`)
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('data-qa="progress-form"')
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'recordId'])
        .where('userId', '=', f.users.AGENCY_LEAD.id)
        .where('outcome', '=', 'DENIED')
        .where('recordId', '=', p.policeAction)
        .execute(),
    )
    expect(denied.map((d) => d.action).sort()).toEqual(['reviews:edit-action', 'reviews:progress'])
    const police = await asSystem((trx) =>
      trx.selectFrom('reviewAction').select(['version']).where('id', '=', p.policeAction).executeTakeFirstOrThrow(),
    )
    expect(police.version).toBe(1)
  })

  it('lets a board member read plans and reports but change nothing', async () => {
    const p = await planThroughPages('Rapid review RR-6')
    expect((await board.get(`/reviews/${p.reviewId}/report`)).status).toBe(200)
    expect((await board.get('/reviews/new')).status).toBe(403)
    expect(
      (await post(board, `/reviews/${p.reviewId}/actions/${p.cscAction}/progress`, { version: '1', note: 'x', rag: 'RED' })).status,
    ).toBe(403)
    expect((await post(board, '/reviews/rag-key', {})).status).toBe(403)
  })

  it('lets the business manager change the RAG key, which labels plans and reports', async () => {
    const page = await manager.get('/reviews/rag-key')
    expect(page.text).toContain('Not on track, remedial action required')
    const body: Record<string, string> = {}
    for (const [k, label, colour, meaning] of [
      ['red', 'Off track', 'red', 'Remedial action'],
      ['amber', 'At risk', 'yellow', 'Watch'],
      ['green', 'On track', 'green', 'Fine'],
      ['completed', 'Done', 'purple', 'Signed off'],
    ]) {
      Object.assign(body, { [`${k}-label`]: label!, [`${k}-colour`]: colour!, [`${k}-meaning`]: meaning! })
    }
    const bad = await post(manager, '/reviews/rag-key', { ...body, 'red-label': '' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('value="At risk"')
    expect((await post(manager, '/reviews/rag-key', body)).status).toBe(302)
    const p = await planThroughPages('Rapid review RR-7')
    const plan = await board.get(`/reviews/${p.reviewId}`)
    expect(plan.text).toContain('govuk-tag--yellow">\n  At risk')
    await post(
      manager,
      '/reviews/rag-key',
      Object.fromEntries(
        [
          ['red', 'Red', 'red', 'Not on track, remedial action required'],
          ['amber', 'Amber', 'orange', 'Needs monitoring to stay on track'],
          ['green', 'Green', 'green', 'On track'],
          ['completed', 'Completed', 'blue', 'Action completed'],
        ].flatMap(([k, l, c, m]) => [
          [`${k}-label`, l!],
          [`${k}-colour`, c!],
          [`${k}-meaning`, m!],
        ]),
      ),
    )
  })
})

describe('reports as at a date', () => {
  /** A plan whose history was recorded on past dates, through the service on a clock set back. */
  async function historicPlan(name: string) {
    const at = (iso: string) => reviews().withClock(() => new Date(iso))
    const created = await at('2025-01-10T10:00:00Z').createReview(managerUser, { kind: 'SERIOUS_CASE_REVIEW', name }, 'req')
    if (!created.ok) throw new Error('no review')
    const reviewId = created.id
    const s = at('2025-01-10T11:00:00Z')
    const finding = await s.saveFinding(managerUser, reviewId, null, { number: '1', title: 'Early help' }, 'req')
    if (!finding.ok) throw new Error('no finding')
    const question = await s.saveQuestion(managerUser, reviewId, { findingId: finding.id }, { code: '1a', text: 'Early help offer' }, 'req')
    if (!question.ok) throw new Error('no question')
    const response = await s.saveResponse(
      managerUser,
      reviewId,
      { questionId: question.id },
      { agency: f.agencyIds.csc, response: 'We will review the offer' },
      'req',
    )
    if (!response.ok) throw new Error('no response')
    const first = await s.addAction(
      managerUser,
      reviewId,
      response.id,
      { text: 'Review the early help offer', rag: 'RED', 'target-date-day': '1', 'target-date-month': '2', 'target-date-year': '2025' },
      'req',
    )
    if (!first.ok) throw new Error('no action')
    // 1 March: progress, amber, and the target moved to 30 June.
    expect(
      (
        await at('2025-03-01T09:00:00Z').progress(
          managerUser,
          reviewId,
          first.id,
          { version: '1', note: 'Offer mapped', rag: 'AMBER' },
          'req',
        )
      ).ok,
    ).toBe(true)
    expect(
      (
        await at('2025-03-01T10:00:00Z').editAction(
          managerUser,
          reviewId,
          first.id,
          {
            version: '2',
            text: 'Review the early help offer',
            rag: 'AMBER',
            'target-date-day': '30',
            'target-date-month': '6',
            'target-date-year': '2025',
          },
          'req',
        )
      ).ok,
    ).toBe(true)
    // 1 April: a second action, with a formula-like text.
    const second = await at('2025-04-01T09:00:00Z').addAction(
      managerUser,
      reviewId,
      response.id,
      { text: '=HYPERLINK("http://x.example","click")', rag: 'GREEN', constraints: '+44 staffing', 'lead-text': '@lead' },
      'req',
    )
    if (!second.ok) throw new Error('no second action')
    return { reviewId, first: first.id, second: second.id }
  }

  it('shows exactly what was recorded by the end of that day', async () => {
    const p = await historicPlan('Serious case review SCR-A')
    const before = await board.get(`/reviews/${p.reviewId}/report?asAt=2025-01-09`)
    expect(before.status).toBe(200)
    expect(before.text).toContain('Nothing was recorded in this plan by this date')

    const feb = await board.get(`/reviews/${p.reviewId}/report?asAt=2025-02-15`)
    expect(feb.text).toContain('Review the early help offer')
    expect(feb.text).toContain('1 February 2025')
    expect(feb.text).not.toContain('HYPERLINK')
    expect(feb.text).toMatch(/govuk-tag--red">\s*Red/)
    expect(feb.text).toContain('data-qa="overdue"')
    expect(feb.text).toMatch(/data-qa="overdue-count">1</)

    const march = await board.get(`/reviews/${p.reviewId}/report?asAt=2025-03-01`)
    expect(march.text).toMatch(/govuk-tag--orange">\s*Amber/)
    expect(march.text).toContain('30 June 2025')
    expect(march.text).not.toContain('data-qa="overdue"')
    expect(march.text).not.toContain('HYPERLINK')

    const april = await board.get(`/reviews/${p.reviewId}/report?asAt=2025-04-01`)
    expect(april.text).toContain('HYPERLINK')

    const future = await board.get(`/reviews/${p.reviewId}/report?asAt=2999-01-01`)
    expect(future.status).toBe(400)
    expect(future.text).toContain('The date must be today or in the past')
  })

  /** The RAG tag of one action's row in a report page. */
  const ragInReport = (html: string, actionId: string) =>
    new RegExp(`data-action-id="${actionId}"[\\s\\S]*?govuk-tag--[a-z-]+">\\s*([^<]+?)\\s*<`).exec(html)?.[1]

  it('puts a progress update entered late in the report as at when it happened, audits when and why, and shows both times in the history', async () => {
    const p = await historicPlan('Serious case review SCR-W1')
    // Entered today, about progress made at 2:30pm on 10 March 2025 (after the action's last update, 10am on 1 March).
    const late = await post(agencyLead, `/reviews/${p.reviewId}/actions/${p.first}/progress`, {
      version: '3',
      note: 'Offer agreed with schools',
      rag: 'GREEN',
      'occurred-day': '10',
      'occurred-month': '3',
      'occurred-year': '2025',
      'occurred-time': '2:30pm',
      'late-reason': 'the minutes arrived by post',
    })
    expect(late.status).toBe(302)

    expect(ragInReport((await board.get(`/reviews/${p.reviewId}/report?asAt=2025-03-09`)).text, p.first)).toBe('Amber')
    expect(ragInReport((await board.get(`/reviews/${p.reviewId}/report?asAt=2025-03-10`)).text, p.first)).toBe('Green')
    expect(ragInReport((await board.get(`/reviews/${p.reviewId}/report?asAt=2025-03-20`)).text, p.first)).toBe('Green')

    const saved = await asSystem((trx) =>
      trx
        .selectFrom('reviewActionVersion')
        .select(['occurredAt', 'recordedAt', 'lateReason', 'rag'])
        .where('actionId', '=', p.first)
        .where('version', '=', 4)
        .executeTakeFirstOrThrow(),
    )
    expect(saved).toMatchObject({ occurredAt: new Date('2025-03-10T14:30:00Z'), lateReason: 'the minutes arrived by post', rag: 'GREEN' })
    expect(Date.now() - saved.recordedAt.getTime()).toBeLessThan(60_000)

    const audit = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['detail', 'userId'])
        .where('action', '=', 'reviews:progress')
        .where('recordId', '=', p.first)
        .where('outcome', '=', 'ALLOWED')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow(),
    )
    expect(audit.userId).toBe(f.users.AGENCY_LEAD.id)
    expect(audit.detail).toMatchObject({
      ragFrom: 'AMBER',
      ragTo: 'GREEN',
      occurredAt: '2025-03-10T14:30:00.000Z',
      lateReason: 'the minutes arrived by post',
    })

    const page = await board.get(`/reviews/${p.reviewId}/actions/${p.first}`)
    expect(page.text).toContain('10 March 2025, 2:30pm')
    expect(page.text).toMatch(/data-qa="recorded-late">Recorded [^<]+: entered late because the minutes arrived by post\.</)
    // Changes recorded as they happened show one time.
    expect(page.text.match(/data-qa="recorded-late"/g)).toHaveLength(1)
  })

  it('refuses progress dated in the future, before the action’s last update, or long past without a reason, keeping what was typed', async () => {
    const p = await historicPlan('Serious case review SCR-W2')
    const url = `/reviews/${p.reviewId}/actions/${p.first}/progress`
    const typed = (day: string, month: string, year: string, time: string, reason = '') => ({
      version: '3',
      note: 'My carefully typed update',
      rag: 'GREEN',
      'occurred-day': day,
      'occurred-month': month,
      'occurred-year': year,
      'occurred-time': time,
      'late-reason': reason,
    })
    const nextYear = String(new Date().getUTCFullYear() + 1)
    const future = await post(agencyLead, url, typed('1', '1', nextYear, '9:00am'))
    expect(future.status).toBe(400)
    expect(future.text).toContain('The date and time it happened must be now or in the past')
    expect(future.text).toContain(`value="${nextYear}"`)

    const before = await post(agencyLead, url, typed('1', '3', '2025', '9:30am', 'the minutes arrived by post'))
    expect(before.status).toBe(400)
    expect(before.text).toContain(
      'The date and time it happened must be the same as or after the last update to this action (10am on 1 March 2025)',
    )
    expect(before.text).toContain('value="9:30am"')
    expect(before.text).toContain('the minutes arrived by post</textarea>')

    const noReason = await post(agencyLead, url, typed('10', '3', '2025', '2:30pm'))
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain(`Enter why this is entered more than ${t.config.lateEntryReasonAfterDays} days after it happened`)
    expect(noReason.text).toContain('href="#late-reason"')

    for (const res of [future, before, noReason]) {
      expect(res.text).toContain('My carefully typed update')
      expect(res.text).toMatch(/<details[^>]*data-qa="when-it-happened"[^>]*open/)
      expect(res.text).toContain('name="version" value="3"')
    }
    const current = await asSystem((trx) =>
      trx.selectFrom('reviewAction').select(['rag', 'version']).where('id', '=', p.first).executeTakeFirstOrThrow(),
    )
    expect(current).toEqual({ rag: 'AMBER', version: 3 })
  })

  it('downloads the report as DOCX: a Word file with the table as at that date', async () => {
    const p = await historicPlan('Serious case review SCR-B')
    const res = await board
      .get(`/reviews/${p.reviewId}/report.docx?asAt=2025-02-15`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(res.status).toBe(200)
    expect(res.headers['content-disposition']).toBe(`attachment; filename="action-plan-${p.reviewId.slice(0, 8)}-as-at-2025-02-15.docx"`)
    const body = res.body as Buffer
    expect(body.subarray(0, 2).toString()).toBe('PK')
    const xml = await (await JSZip.loadAsync(body)).file('word/document.xml')!.async('string')
    for (const text of [
      'Serious case review SCR-B',
      'Review the early help offer',
      'Target Date/Evidence',
      'Not on track, remedial action required',
      '01/02/2025',
      '(overdue)',
    ])
      expect(xml).toContain(text)
    expect(xml).not.toContain('HYPERLINK')
  })

  it('downloads the report as XLSX in the board’s layout, formulas escaped', async () => {
    const p = await historicPlan('Serious case review SCR-C')
    const res = await board
      .get(`/reviews/${p.reviewId}/report.xlsx?asAt=2025-04-02`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(res.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(res.body as unknown as ArrayBuffer)
    const sheet = book.getWorksheet('Action plan')!
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1)
    expect(values(1)).toEqual([...BOARD_PLAN_COLUMNS])
    expect(sheet.rowCount).toBe(3)
    expect(values(2)).toEqual(
      [
        '1. Early help',
        '1a Early help offer',
        'Fixture Children’s Services',
        'We will review the offer',
        'Review the early help offer',
        'Amber',
        '',
        '30/06/2025',
        '',
        '',
      ].map((v) => v),
    )
    const row3 = values(3)
    expect(row3[4]).toBe('\'=HYPERLINK("http://x.example","click")')
    expect(row3[6]).toBe("'+44 staffing")
    expect(row3[8]).toBe("'@lead")
    sheet.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)))
    expect(book.getWorksheet('RAG key')!.getRow(2).values).toEqual([
      undefined,
      'RED',
      'Red',
      'Not on track, remedial action required',
      'red',
    ])
  })
})

describe('evidence documents', () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')

  async function uploadPage(agent: TestAgent, reviewId: string, actionId: string) {
    const page = await agent.get(`/reviews/${reviewId}/actions/${actionId}`)
    return csrfFrom(page.text)
  }

  it('takes a PDF from the agency lead, keeps it in the database and gives it back', async () => {
    const p = await planThroughPages('Rapid review RR-E1')
    const token = await uploadPage(agencyLead, p.reviewId, p.cscAction)
    const res = await agencyLead
      .post(`/reviews/${p.reviewId}/actions/${p.cscAction}/evidence`)
      .field('_csrf', token)
      .attach('document', PDF, 'board minutes.pdf')
    expect(res.status).toBe(302)
    const doc = await asSystem((trx) =>
      trx
        .selectFrom('reviewEvidenceDocument')
        .select(['id', 'fileName', 'fileType', 'sizeBytes', 'storagePath'])
        .where('actionId', '=', p.cscAction)
        .executeTakeFirstOrThrow(),
    )
    expect(doc).toMatchObject({ fileName: 'board minutes.pdf', fileType: 'pdf', sizeBytes: PDF.length, storagePath: null })
    const back = await board.get(`/reviews/${p.reviewId}/actions/${p.cscAction}/evidence/${doc.id}`)
    expect(back.status).toBe(200)
    expect(back.headers['content-type']).toContain('application/pdf')
    expect(
      Buffer.from(back.body as Buffer)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
  })

  it('refuses a file that is not what its name says, an empty file, one over 10 MB, and another agency’s action', async () => {
    const p = await planThroughPages('Rapid review RR-E2')
    const token = await uploadPage(agencyLead, p.reviewId, p.cscAction)
    const url = (action: string) => `/reviews/${p.reviewId}/actions/${action}/evidence`
    const exe = await agencyLead
      .post(url(p.cscAction))
      .field('_csrf', token)
      .attach('document', Buffer.from('MZ\u0090\u0000 not a pdf'), 'minutes.pdf')
    expect(exe.status).toBe(400)
    expect(exe.text).toContain('The file must be a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file')
    const empty = await agencyLead.post(url(p.cscAction)).field('_csrf', token).attach('document', Buffer.alloc(0), 'empty.pdf')
    expect(empty.status).toBe(400)
    const big = await agencyLead
      .post(url(p.cscAction))
      .field('_csrf', token)
      .attach('document', Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'big.pdf')
    expect(big.status).toBe(413)
    expect(big.text).toContain('The file must be smaller than 10 MB')
    const other = await agencyLead.post(url(p.policeAction)).field('_csrf', token).attach('document', PDF, 'minutes.pdf')
    expect(other.status).toBe(403)
    const count = await asSystem((trx) =>
      trx
        .selectFrom('reviewEvidenceDocument')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reviewId', '=', p.reviewId)
        .executeTakeFirstOrThrow(),
    )
    expect(Number(count.n)).toBe(0)
  })
})

describe('importing a plan (for the plan importer)', () => {
  const plan: ImportedPlan = {
    findings: [
      {
        number: '1',
        title: 'Information sharing',
        questions: [
          {
            code: '1a',
            text: 'Share concerns',
            responses: [
              {
                agencyName: 'fixture police',
                response: 'Agreed',
                actions: [
                  { text: 'Brief officers.', ragKey: 'GREEN', targetText: 'Nov 14 – update due' },
                  { text: 'Audit referrals', ragKey: null, targetDate: '2025-06-30', leadText: 'ME' },
                ],
              },
              {
                agencyName: 'Northshire Constabulary Imported',
                response: 'Agreed too',
                actions: [{ text: 'Name a lead', ragKey: 'COMPLETED' }],
              },
            ],
          },
        ],
      },
      {
        number: '2',
        title: 'Training',
        questions: [
          {
            code: '2a',
            text: 'Train staff',
            responses: [
              {
                agencyName: 'Fixture Police',
                response: 'Yes',
                actions: [{ text: 'Run two sessions', ragKey: 'AMBER', evidence: 'Register' }],
              },
            ],
          },
        ],
      },
    ],
  }

  it('creates what is missing, matches agencies by name, records history, and adds nothing the second time', async () => {
    const created = await reviews().createReview(managerUser, { kind: 'THEMATIC_AUDIT', name: 'Imported audit' }, 'req')
    if (!created.ok) throw new Error('no review')
    const run = (p: ImportedPlan) =>
      transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
        reviews().importPlan(trx, { partnershipId: f.partnershipId, reviewId: created.id, actorId: managerUser.id, plan: p }),
      )
    const first = await run(plan)
    expect(first).toEqual({
      findings: 2,
      questions: 2,
      agencies: 2,
      actions: 4,
      created: { findings: 2, questions: 2, agencies: 1, actions: 4 },
      unchanged: { findings: 0, questions: 0, agencies: 1, actions: 0 },
    })
    // The same plan again, with the action text re-spaced and re-cased: nothing new.
    const again = structuredClone(plan)
    again.findings[0]!.questions[0]!.responses[0]!.actions[0]!.text = '  brief   OFFICERS '
    const second = await run(again)
    expect(second.created).toEqual({ findings: 0, questions: 0, agencies: 0, actions: 0 })
    expect(second.unchanged).toEqual({ findings: 2, questions: 2, agencies: 2, actions: 4 })
    const rows = await asSystem((trx) =>
      trx
        .selectFrom('reviewAction as a')
        .innerJoin('reviewActionVersion as v', 'v.actionId', 'a.id')
        .select(['a.text', 'a.rag', 'a.targetText', 'v.change'])
        .where('a.reviewId', '=', created.id)
        .orderBy('a.text')
        .execute(),
    )
    expect(rows.map((r) => [r.text, r.rag, r.change])).toEqual([
      ['Audit referrals', null, 'IMPORTED'],
      ['Brief officers.', 'GREEN', 'IMPORTED'],
      ['Name a lead', 'COMPLETED', 'IMPORTED'],
      ['Run two sessions', 'AMBER', 'IMPORTED'],
    ])
    expect(rows.find((r) => r.text === 'Brief officers.')?.targetText).toBe('Nov 14 – update due')
    const agency = await asSystem((trx) =>
      trx.selectFrom('agency').select(['kind']).where('name', '=', 'Northshire Constabulary Imported').executeTakeFirstOrThrow(),
    )
    expect(agency.kind).toBe('POLICE')
  })

  it('saves nothing when the plan has an unknown RAG key', async () => {
    const created = await reviews().createReview(managerUser, { kind: 'THEMATIC_AUDIT', name: 'Imported audit 2' }, 'req')
    if (!created.ok) throw new Error('no review')
    const bad = structuredClone(plan)
    bad.findings[1]!.questions[0]!.responses[0]!.actions[0]!.ragKey = 'PURPLE'
    await expect(
      transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
        reviews().importPlan(trx, { partnershipId: f.partnershipId, reviewId: created.id, actorId: managerUser.id, plan: bad }),
      ),
    ).rejects.toThrow('unknown RAG key')
    const count = await asSystem((trx) =>
      trx
        .selectFrom('reviewFinding')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reviewId', '=', created.id)
        .executeTakeFirstOrThrow(),
    )
    expect(Number(count.n)).toBe(0)
  })
})

describe('the evidence store', () => {
  it('keeps documents in EVIDENCE_DIR when configured, and refuses paths outside it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evidence-'))
    const store = evidenceStore(dir)
    const saved = await store.put('p1', Buffer.from('%PDF-1.4'))
    expect(saved.content).toBeNull()
    expect(saved.storagePath).toMatch(/^p1[\\/][0-9a-f-]{36}$/)
    expect((await store.get(saved)).toString()).toBe('%PDF-1.4')
    await expect(store.get({ content: null, storagePath: '../outside' })).rejects.toThrow('outside')
    const inDb = evidenceStore(undefined)
    expect(await inDb.put('p1', Buffer.from('x'))).toEqual({ content: Buffer.from('x'), storagePath: null })
    await rm(dir, { recursive: true })
  })
})
