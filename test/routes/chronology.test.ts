import { inflateSync } from 'node:zlib'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { londonParts } from '../../src/platform/forms/dates.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let worker: TestAgent
let referrer: TestAgent
const csrf = new Map<TestAgent, string>()
let caseId: string
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const parts = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y }
}
const today = () => londonDate(new Date())
/** Entry headings on the timeline, in page order. */
const titles = (html: string) => [...html.matchAll(/<h2 class="moj-timeline__title">([^<]*)<\/h2>/g)].map((m) => m[1]!.trim())
const HOUR = 3600_000
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? ''
const whenParts = (prefix: string, at: Date) => {
  const p = londonParts(at)
  return { [`${prefix}-day`]: p.day, [`${prefix}-month`]: p.month, [`${prefix}-year`]: p.year }
}
const binary = (agent: TestAgent, path: string) =>
  agent
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => cb(null, Buffer.concat(chunks)))
    })
/** The text pdfkit wrote (each text call's TJ, hex-encoded WinAnsi) from the PDF's compressed content streams. */
function pdfText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1')
  const out: string[] = []
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length
    let content: string
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1')
    } catch {
      continue
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g))
      out.push([...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''))
  }
  return out
}

const LATE_REASON = 'screened at the school and entered on return'

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  worker = await signIn(t, f.users.TEAM_MANAGER)
  referrer = await signIn(t, f.users.REFERRER)
  for (const a of [worker, referrer]) csrf.set(a, await csrfFor(a))
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  const now = Date.now()
  caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, { partnershipId, givenNames: 'Chrono', familyName: 'Child', dateOfBirth: '2010-01-01' })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      userId: f.users.REFERRER.id,
      kind: 'INVOLVED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(now - 72 * HOUR) }, 'test')
  })
  // Screened two days ago, entered now: both times, and why it was entered late.
  await kernel.run(manager, caseId, 's1', (act) =>
    act.apply('RECORD_SCREENING', { rating: 'AMBER', occurredAt: new Date(now - 48 * HOUR), lateReason: LATE_REASON }, { rating: 'AMBER' }),
  )
  await kernel.run(manager, caseId, 's2', (act) =>
    act.apply('CONFIRM_SCREENING', { rating: 'AMBER', occurredAt: new Date(now - 47 * HOUR) }, { rating: 'AMBER' }),
  )
  // The strategy meeting, arranged and recorded through its pages: the police attended.
  const arrangeForm = await worker.get(`/cases/${caseId}/strategy-meeting/new`)
  const arranged = await post(worker, `/cases/${caseId}/strategy-meeting/new`, {
    'form-key': hidden(arrangeForm.text, 'form-key'),
    kind: 'STRATEGY_MEETING',
    ...whenParts('date', new Date(now - 2 * HOUR)),
    time: londonParts(new Date(now - 2 * HOUR)).time,
    chair: f.users.TEAM_MANAGER.id,
    agencies: [f.agencyIds.police],
    people: [f.users.POLICE_OFFICER.id],
  })
  expect(arranged.status).toBe(302)
  const meeting = await asSystem((trx) => trx.selectFrom('meeting').select('id').where('caseId', '=', caseId).executeTakeFirstOrThrow())
  const invitation = await asSystem((trx) =>
    trx.selectFrom('meetingInvitation').select('id').where('meetingId', '=', meeting.id).executeTakeFirstOrThrow(),
  )
  const minutes = await worker.get(`/cases/${caseId}/strategy-meeting`)
  const due = new Date(now + 48 * HOUR)
  const finalised = await post(worker, `/cases/${caseId}/strategy-meeting/finalise`, {
    version: hidden(minutes.text, 'version'),
    'form-key': hidden(minutes.text, 'form-key'),
    ...whenParts('held', new Date(now - HOUR)),
    'held-time': londonParts(new Date(now - HOUR)).time,
    [`attendance-${invitation.id}`]: 'PRESENT',
    'information-shared': 'Police shared the account from school.',
    risks: 'Contact with younger children.',
    worries: 'Behaviour online.',
    'working-well': 'Grandmother is protective.',
    'score-name-0': 'Dana Social',
    'score-agency-0': 'Children’s services',
    'score-value-0': '4',
    decisions: 'Section 47 enquiry to start; AIM assessment to be considered.',
    outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'],
    'action-text-0': 'Start the section 47 enquiry',
    'action-owner-0': f.users.TEAM_MANAGER.id,
    ...whenParts('action-due-0', due),
  })
  expect(finalised.status).toBe(302)
  await kernel.run(manager, caseId, 's4', (act) =>
    act.apply(
      'DECIDE_AIM_ASSESSMENT',
      { assessmentRoute: 'WELFARE' },
      { route: 'WELFARE', leadAgencyId: f.agencyIds.csc, administeringAgencyId: f.agencyIds.csc },
    ),
  )
  // Three saves of the assessment: log noise, gathered into one routine entry.
  for (const n of [1, 2, 3]) await kernel.run(manager, caseId, `w${n}`, (act) => act.apply('RECORD_ASSESSMENT_WORK', {}))
  const cp = await post(worker, `/cases/${caseId}/criminal-process/new`, {
    kind: 'INVESTIGATION',
    ...parts('date', addCalendarDays(today(), -10)),
    'police-reference': 'NP/1',
  })
  expect(cp.status).toBe(302)
}, 120_000)
afterAll(async () => t.close())

const STEPS = [
  'Police investigation started',
  'Request for support received',
  'Screening recorded: rated amber',
  'Screening confirmed (management oversight): rated amber; a strategy meeting is due',
  'Strategy meeting held: section 47 enquiry (child protection), consider an AIM assessment; Fixture Police attended',
  'Decided to carry out an AIM assessment: welfare route, led by Fixture Children’s Services',
]

describe('the chronology', () => {
  it('shows what happened with its outcomes, in the order it happened, leaving routine steps out; newest first when asked', async () => {
    const page = await worker.get(`/cases/${caseId}/chronology`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('class="moj-timeline"')
    expect(titles(page.text)).toEqual(STEPS)
    expect(page.text).toContain('Chrono Child, born 1 January 2010: request for support received')
    const newest = await worker.get(`/cases/${caseId}/chronology?order=newest`)
    expect(titles(newest.text)).toEqual([...STEPS].reverse())
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('detail').where('action', '=', 'chronology:read').where('recordId', '=', caseId).execute(),
    )
    expect(audit.length).toBeGreaterThanOrEqual(2)
  })

  it('says who recorded each entry and their agency, and when it was recorded if later, with why it was entered late', async () => {
    const page = await worker.get(`/cases/${caseId}/chronology`)
    expect(page.text).toContain('by Fixture TEAM_MANAGER (Fixture Children’s Services)')
    const screening = page.text.slice(page.text.indexOf('Screening recorded: rated amber'))
    const recorded = /data-qa="chronology-recorded">([^<]*)</.exec(screening)![1]!
    expect(recorded).toMatch(new RegExp(`^Recorded .*: entered late because ${LATE_REASON}\\.$`))
    // Decided as it happened: one time only.
    const decided = page.text.slice(page.text.indexOf('Decided to carry out an AIM assessment'))
    expect(decided.slice(0, decided.indexOf('moj-timeline__item'))).not.toContain('chronology-recorded')
  })

  it('shows routine steps, repeated ones gathered into one, when everything is asked for', async () => {
    const all = titles((await worker.get(`/cases/${caseId}/chronology?show=all`)).text)
    expect(all).toContain('Strategy meeting arranged')
    expect(all.filter((x) => x.startsWith('AIM assessment work recorded'))).toEqual([
      expect.stringMatching(/^AIM assessment work recorded: 3 times (on|from) /),
    ])
    // The meeting and the step that finalised it are one entry.
    expect(all.filter((x) => x.startsWith('Strategy meeting held'))).toHaveLength(1)
  })

  it('adds curated entries, kept as written, marked significant when ticked; a correction is a new entry naming the one it corrects', async () => {
    const form = await worker.get(`/cases/${caseId}/chronology/new`)
    expect(form.text).toMatch(/name="significant" type="checkbox" value="yes"/)
    const bad = await post(worker, `/cases/${caseId}/chronology/new`, {
      ...parts('date', addCalendarDays(today(), 2)),
      title: 'Title kept',
      text: '',
      significant: 'yes',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The date must be today or in the past')
    expect(bad.text).toContain('Enter what happened')
    expect(bad.text).toContain('value="Title kept"')
    expect(bad.text).toMatch(/name="significant" type="checkbox" value="yes" checked/)
    expect(
      (
        await post(worker, `/cases/${caseId}/chronology/new`, {
          ...parts('date', addCalendarDays(today(), -2)),
          title: 'Home visit',
          text: 'Saw the child at home with dad.',
        })
      ).status,
    ).toBe(302)
    const [first] = await asSystem((trx) => trx.selectFrom('chronologyEntry').selectAll().where('caseId', '=', caseId).execute())
    expect(
      (
        await post(worker, `/cases/${caseId}/chronology/new`, {
          ...parts('date', addCalendarDays(today(), -2)),
          title: 'Home visit (corrected)',
          text: 'Saw the child at home with mum, not dad.',
          corrects: first!.id,
          significant: 'yes',
        })
      ).status,
    ).toBe(302)
    const rows = await asSystem((trx) =>
      trx.selectFrom('chronologyEntry').selectAll().where('caseId', '=', caseId).orderBy('createdAt').execute(),
    )
    expect(rows.map((r) => [r.text, r.isSignificant])).toEqual([
      ['Saw the child at home with dad.', false],
      ['Saw the child at home with mum, not dad.', true],
    ])
    expect(rows[1]!.correctsEntryId).toBe(first!.id)
    const added = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('detail').where('action', '=', 'chronology:add').where('recordId', '=', caseId).execute(),
    )
    expect(added.map((a) => a.detail.significant)).toEqual([false, true])
    const page = await worker.get(`/cases/${caseId}/chronology`)
    expect(page.text).toContain('Correction to “Home visit”')
    // A referrer reads neither the chronology nor the case (their own request's page only), nor adds to it.
    expect((await referrer.get(`/cases/${caseId}/chronology`)).status).toBe(403)
    expect((await post(referrer, `/cases/${caseId}/chronology/new`, { ...parts('date', today()), title: 'x', text: 'y' })).status).toBe(403)
  })

  it('filters by kind of entry, by significance, by agency and by date range through the query string; bad dates are refused', async () => {
    const curated = await worker.get(`/cases/${caseId}/chronology?type=CURATED`)
    expect(titles(curated.text)).toEqual(['Home visit', 'Home visit (corrected)'])
    // Curated entries are dated, not timed: no made-up midnight.
    expect(curated.text).not.toContain('12:00am')
    const two = await worker.get(`/cases/${caseId}/chronology?type=CURATED&type=CRIMINAL_PROCESS`)
    expect(titles(two.text)).toEqual(['Police investigation started', 'Home visit', 'Home visit (corrected)'])
    const significant = await worker.get(`/cases/${caseId}/chronology?show=significant`)
    // Significant events only: the marked entry, not the one it corrects.
    expect(titles(significant.text).sort()).toEqual([...STEPS, 'Home visit (corrected)'].sort())
    expect(significant.text).toMatch(/<input class="govuk-radios__input" id="show" name="show" type="radio" value="significant" checked/)
    const police = await worker.get(`/cases/${caseId}/chronology?agency=${encodeURIComponent('Fixture Police')}`)
    expect(titles(police.text)).toEqual([STEPS[4]])
    expect(police.text).toContain('<option value="Fixture Police" selected>Fixture Police</option>')
    const recent = await worker.get(
      `/cases/${caseId}/chronology?${new URLSearchParams({ ...parts('from', addCalendarDays(today(), -1)) } as Record<string, string>)}`,
    )
    expect(titles(recent.text)).not.toContain('Police investigation started')
    expect(titles(recent.text)).not.toContain('Home visit')
    expect(titles(recent.text)).toContain(STEPS[5])
    const none = await worker.get(
      `/cases/${caseId}/chronology?${new URLSearchParams({ ...parts('to', addCalendarDays(today(), -30)) } as Record<string, string>)}`,
    )
    expect(none.text).toContain('No entries match this filter')
    const bad = await worker.get(`/cases/${caseId}/chronology?from-day=31&from-month=2&from-year=2026`)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('must be a real date')
  })

  it('prints without the site’s header, navigation or footer, marked OFFICIAL-SENSITIVE at its top and foot, as filtered', async () => {
    const page = await worker.get(`/cases/${caseId}/chronology?type=CURATED&show=significant`)
    expect(page.text).toContain(`href="/cases/${caseId}/chronology/print?type=CURATED&amp;show=significant"`)
    const print = await worker.get(`/cases/${caseId}/chronology/print?type=CURATED&show=significant`)
    expect(print.status).toBe(200)
    expect(print.text).toContain('1 entry')
    expect(print.text).toContain('Home visit (corrected)')
    for (const site of ['govuk-header', 'govuk-service-navigation', 'govuk-footer', 'govuk-phase-banner', 'data-qa="sign-out"'])
      expect(print.text, site).not.toContain(site)
    expect(print.text.match(/data-qa="protective-marking">OFFICIAL-SENSITIVE</g)).toHaveLength(2)
    expect(print.text).toContain('Chrono Child, born 1 January 2010: request for support received')
    const all = await worker.get(`/cases/${caseId}/chronology/print`)
    expect(all.text).toContain(`entered late because ${LATE_REASON}`)
    expect(all.text).toContain('Fixture TEAM_MANAGER (Fixture Children’s Services)')
  })

  it('exports to PDF naming the case by its reference (never its id), marked OFFICIAL-SENSITIVE, as an attachment named without personal data', async () => {
    const pdf = await binary(worker, `/cases/${caseId}/chronology.pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="chronology-printed-\d{4}-\d{2}-\d{2}\.pdf"$/)
    expect(pdf.headers['cache-control']).toContain('no-store')
    const body = pdf.body as Buffer
    expect(body.toString('latin1').startsWith('%PDF')).toBe(true)
    expect(body.toString('latin1')).toContain('Chronology: 8 entries')
    const words = pdfText(body)
    expect(words.some((w) => w.startsWith('Chrono Child, born 1 January 2010: request for support received'))).toBe(true)
    expect(words.filter((w) => w === 'OFFICIAL-SENSITIVE').length).toBeGreaterThanOrEqual(2)
    expect(words.join('')).toContain('Strategy meeting held: section 47 enquiry (child protection)')
    expect(words.join('')).not.toContain(caseId)
    expect(body.toString('latin1')).not.toContain(caseId)
    const filtered = await binary(worker, `/cases/${caseId}/chronology.pdf?type=CURATED`)
    expect((filtered.body as Buffer).toString('latin1')).toContain('Chronology: 2 entries')
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('detail').where('action', '=', 'chronology:read').where('recordId', '=', caseId).execute(),
    )
    expect(audit.map((a) => a.detail.format)).toEqual(expect.arrayContaining(['html', 'print', 'pdf']))
  })
})
