import { sql } from 'kysely'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawOrder } from '../../src/features/case-audits/case-audits.rules.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: TestAgent
let auditor: TestAgent
let policeAuditor: TestAgent
let outsider: TestAgent
let policeAuditorId: string
const csrf = new Map<TestAgent, string>()
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const today = new Date().toISOString().slice(0, 10)
const [ty, tm, td] = today.split('-')

async function post(agent: TestAgent, url: string, body: Record<string, string | string[]>) {
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: csrf.get(agent)!, ...body })
}

async function setUp(overrides: Record<string, string> = {}) {
  const res = await post(manager, '/case-audits', {
    theme: 'Harmful sexual behaviour',
    'panel-date-day': '20',
    'panel-date-month': '2',
    'panel-date-year': '2026',
    tool: await builtInTool(),
    purpose: 'To review practice after the partnership’s HSB guidance was published.',
    [`agency-${f.agencyIds.csc}`]: 'TAKING_PART',
    [`auditor-${f.agencyIds.csc}`]: f.users.LEAD_AUDITOR.id,
    [`agency-${f.agencyIds.police}`]: 'TAKING_PART',
    [`auditor-${f.agencyIds.police}`]: policeAuditorId,
    [`agency-${f.agencyIds.other}`]: 'UNABLE',
    [`reason-${f.agencyIds.other}`]: 'No capacity this quarter',
    ...overrides,
  })
  return res
}

async function builtInTool(): Promise<string> {
  await manager.get('/case-audits/tools')
  const row = await asSystem((trx) =>
    trx
      .selectFrom('caseAuditTool')
      .select('id')
      .where('partnershipId', '=', f.partnershipId)
      .where('source', '=', 'BUILT_IN')
      .executeTakeFirstOrThrow(),
  )
  return row.id
}

const idFrom = (location: string) => location.split('/').pop()!
const samplesOf = (auditId: string) =>
  asSystem((trx) => trx.selectFrom('caseAuditSample').selectAll().where('auditId', '=', auditId).orderBy('drawNumber').execute())
const auditRows = (userId: string, action: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['recordType', 'recordId', 'outcome', 'detail'])
      .where('userId', '=', userId)
      .where('action', '=', action)
      .orderBy('occurredAt')
      .execute(),
  )
const draw = (auditId: string, extra: Record<string, string | string[]> = {}) =>
  post(manager, `/case-audits/${auditId}/cohort`, {
    'open-on-day': td!,
    'open-on-month': tm!,
    'open-on-year': ty!,
    'sample-size': '5',
    seed: '20170220',
    action: 'draw',
    ...extra,
  })
const consent = (auditId: string, sampleId: string, state: string, replace = false) =>
  post(manager, `/case-audits/${auditId}/samples/${sampleId}/consent`, {
    state,
    by: 'PARENT',
    'on-day': td!,
    'on-month': tm!,
    'on-year': ty!,
    how: 'PHONE',
    ...(replace ? { replace: 'yes' } : {}),
  })

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const totpSecret = newTotpSecret()
  const created = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    {
      displayName: 'Pat Auditor',
      email: 'pat.auditor@fixture.example',
      agencyId: f.agencyIds.police,
      roles: ['LEAD_AUDITOR'],
      teamIds: [],
      password: TEST_PASSWORD,
      totpSecret,
    },
    null,
  )
  if (!created.ok) throw new Error('auditor not created')
  policeAuditorId = created.value
  manager = await signIn(t, f.users.PARTNERSHIP_BUSINESS_MANAGER)
  auditor = await signIn(t, f.users.LEAD_AUDITOR)
  policeAuditor = await signIn(t, { id: policeAuditorId, email: 'pat.auditor@fixture.example', totpSecret })
  outsider = await signIn(t, f.users.HSB_LEAD)
  for (const a of [manager, auditor, policeAuditor, outsider]) csrf.set(a, await csrfFor(a))
}, 120_000)
afterAll(async () => t.close())

describe('setting up an audit', () => {
  it('refuses a lead auditor from an agency not taking part, and one from another agency, keeping what was typed', async () => {
    const wrongAgency = await setUp({ [`auditor-${f.agencyIds.police}`]: f.users.LEAD_AUDITOR.id })
    expect(wrongAgency.status).toBe(400)
    expect(wrongAgency.text).toContain(
      'Fixture LEAD_AUDITOR is not from Fixture Police. The lead auditor must be from the agency taking part',
    )
    expect(wrongAgency.text).toContain('value="Harmful sexual behaviour"')
    const notTakingPart = await setUp({ [`agency-${f.agencyIds.police}`]: '' })
    expect(notTakingPart.status).toBe(400)
    expect(notTakingPart.text).toContain('Fixture Police is not taking part, so it cannot have a lead auditor')
    const noReason = await setUp({ [`reason-${f.agencyIds.other}`]: '' })
    expect(noReason.text).toContain('Enter why Fixture School is unable to take part')
    expect(await asSystem((trx) => trx.selectFrom('caseAudit').select('id').execute())).toEqual([])
  })

  it('loads a partnership’s own tool as CSV, and refuses a broken one with the text kept', async () => {
    const bad = await post(manager, '/case-audits/tools', {
      name: 'Our tool',
      format: 'JSON',
      definition: '{ "scale": [',
      scale: '',
      'free-text': 'yes',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The JSON could not be read')
    expect(bad.text).toContain('{ &quot;scale&quot;: [')
    const ok = await post(manager, '/case-audits/tools', {
      name: 'Our tool',
      format: 'CSV',
      definition: 'section,code,question\nVoice of the child,V1,Was the child heard?',
      scale: 'Met\nNot met',
      'free-text': 'yes',
    })
    expect(ok.status).toBe(302)
    const page = await manager.get(ok.headers.location!)
    expect(page.text).toContain('Was the child heard?')
    expect((await auditor.get('/case-audits/tools/new')).status).toBe(403)
  })
})

describe('an audit from set-up to report', () => {
  let auditId: string
  let samples: Awaited<ReturnType<typeof samplesOf>>

  it('sets up the audit, counts the cohort and refuses impossible samples', async () => {
    const res = await setUp()
    expect(res.status).toBe(302)
    auditId = idFrom(res.headers.location!)
    const preview = await post(manager, `/case-audits/${auditId}/cohort`, {
      'open-on-day': td!,
      'open-on-month': tm!,
      'open-on-year': ty!,
      action: 'preview',
    })
    expect(preview.status).toBe(200)
    const cohort = Number(/data-qa="cohort-count">(\d+)/.exec(preview.text)?.[1])
    // Every fixture case is open today, except restricted records, which are never sampled.
    expect(cohort).toBe(Object.keys(f.caseOf).length - 1 - Object.keys(f.restrictedChildren).length)
    const tooMany = await draw(auditId, { 'sample-size': String(cohort + 1) })
    expect(tooMany.status).toBe(400)
    expect(tooMany.text).toContain(`The sample (${cohort + 1}) is larger than the cohort (${cohort} cases). Select ${cohort} or fewer`)
    expect(tooMany.text).toContain(`value="${cohort + 1}"`)
    const empty = await draw(auditId, { 'open-on-year': '2001' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('No cases match the cohort')
    expect(await samplesOf(auditId)).toEqual([])
  })

  it('draws the same cases from the same seed, and records the seed and cohort to show it', async () => {
    expect((await draw(auditId)).status).toBe(302)
    samples = await samplesOf(auditId)
    expect(samples.map((s) => s.drawNumber)).toEqual([1, 2, 3, 4, 5])
    const row = await asSystem((trx) =>
      trx.selectFrom('caseAudit').select(['seed', 'cohortCaseIds']).where('id', '=', auditId).executeTakeFirstOrThrow(),
    )
    expect(row.seed).toBe('20170220')
    expect(samples.map((s) => s.caseId)).toEqual(drawOrder(row.cohortCaseIds!, 20170220).slice(0, 5))
    // A second audit over the same cohort with the same seed selects the same cases.
    const second = idFrom((await setUp({ theme: 'Same seed check' })).headers.location!)
    expect((await draw(second)).status).toBe(302)
    expect((await samplesOf(second)).map((s) => s.caseId)).toEqual(samples.map((s) => s.caseId))
    expect((await draw(auditId)).status).toBe(409)
  })

  it('records consent; a refusal with a replacement draws the next case in the seeded order', async () => {
    const bad = await post(manager, `/case-audits/${auditId}/samples/${samples[0]!.id}/consent`, { state: 'GIVEN' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Select who gave or refused consent')
    expect((await consent(auditId, samples[0]!.id, 'REFUSED', true)).status).toBe(302)
    for (const s of samples.slice(1)) expect((await consent(auditId, s.id, 'GIVEN')).status).toBe(302)
    const after = await samplesOf(auditId)
    const row = await asSystem((trx) =>
      trx.selectFrom('caseAudit').select('cohortCaseIds').where('id', '=', auditId).executeTakeFirstOrThrow(),
    )
    expect(after).toHaveLength(6)
    expect(after[5]).toMatchObject({
      drawNumber: 6,
      replacesSampleId: samples[0]!.id,
      caseId: drawOrder(row.cohortCaseIds!, 20170220)[5],
      consent: 'NOT_SOUGHT',
    })
    expect(after[0]).toMatchObject({ consent: 'REFUSED', consentBy: 'PARENT', consentHow: 'PHONE' })
    expect((await consent(auditId, samples[0]!.id, 'GIVEN')).status).toBe(409)
    samples = after
  })

  it('never opens an unconsented case to an auditor; reads are audited either way', async () => {
    const refused = await auditor.get(`/case-audits/${auditId}/cases/${samples[0]!.id}`)
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('Consent has not been given for this case')
    expect((await auditor.get(`/case-audits/${auditId}/cases/${samples[5]!.id}`)).status).toBe(403)
    const page = await auditor.get(`/case-audits/${auditId}/cases/${samples[1]!.id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-qa="case-summary"')
    expect(page.text).toMatch(/10 to 13|14 to 17/)
    // The child's name and date of birth never reach the auditor: an age band instead.
    const child = await asSystem((trx) =>
      trx
        .selectFrom('hsbCase as k')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .select(['c.familyName', 'c.dateOfBirth'])
        .where('k.id', '=', samples[1]!.caseId)
        .executeTakeFirstOrThrow(),
    )
    expect(page.text).not.toContain(child.familyName)
    // Not even the year of birth; ids and tokens are left out first (a random id can contain "2012").
    const shown = page.text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '')
      .replace(/(value|nonce)="[^"]*"/g, '')
    expect(shown).not.toContain(child.dateOfBirth.toISOString().slice(0, 4))
    expect(page.text).toContain('Summary sheet: Fixture Children’s Services')
    // Someone who may read reviews but is not an assigned lead auditor.
    expect((await outsider.get(`/case-audits/${auditId}/cases/${samples[1]!.id}`)).status).toBe(403)
    const rows = await auditRows(f.users.LEAD_AUDITOR.id, 'case-audit:read')
    expect(rows.map((r) => [r.recordType, r.recordId, r.outcome, r.detail.auditId])).toEqual([
      ['case', samples[0]!.caseId, 'DENIED', auditId],
      ['case', samples[5]!.caseId, 'DENIED', auditId],
      ['case', samples[1]!.caseId, 'ALLOWED', auditId],
    ])
    expect((await auditRows(f.users.HSB_LEAD.id, 'case-audit:read')).map((r) => r.outcome)).toEqual(['DENIED'])
  })

  it('saves a summary sheet for the auditor’s own agency only, with grades from the scale', async () => {
    const url = `/case-audits/${auditId}/cases/${samples[1]!.id}`
    const body = {
      'grade-A1': 'GOOD',
      'grade-I1': 'REQUIRES_IMPROVEMENT',
      'note-2': 'Assessment was thorough.',
      overall: 'GOOD',
      summary: 'Good joint working with school.',
      'feedback-given': 'yes',
      feedback: 'Mum said the worker listened.',
    }
    const bad = await post(auditor, url, { ...body, 'grade-A1': 'BRILLIANT' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The grade for A1 must be one of: Outstanding, Good, Requires improvement, Inadequate')
    expect(bad.text).toContain('Good joint working with school.')
    expect((await post(auditor, url, body)).status).toBe(302)
    expect((await post(policeAuditor, url, { ...body, 'feedback-given': 'no', feedback: '' })).status).toBe(302)
    const sheets = await asSystem((trx) =>
      trx
        .selectFrom('caseAuditSummary')
        .select(['agencyId', 'auditorId', 'answers', 'feedbackGiven'])
        .where('auditId', '=', auditId)
        .orderBy('savedAt')
        .execute(),
    )
    expect(sheets).toEqual([
      {
        agencyId: f.agencyIds.csc,
        auditorId: f.users.LEAD_AUDITOR.id,
        answers: { grades: { A1: 'GOOD', I1: 'REQUIRES_IMPROVEMENT' }, notes: { '2': 'Assessment was thorough.' } },
        feedbackGiven: true,
      },
      {
        agencyId: f.agencyIds.police,
        auditorId: policeAuditorId,
        answers: { grades: { A1: 'GOOD', I1: 'REQUIRES_IMPROVEMENT' }, notes: { '2': 'Assessment was thorough.' } },
        feedbackGiven: false,
      },
    ])
  })

  it('records the panel, findings and recommendations (whom is required), and sends them to a review’s action plan once', async () => {
    const consented = samples.filter((s) => s.consent === 'GIVEN')
    expect(
      (await post(manager, `/case-audits/${auditId}/panel`, { discussed: [...consented.slice(0, 3).map((s) => s.id), samples[0]!.id] }))
        .status,
    ).toBe(302)
    expect(
      (
        await post(manager, `/case-audits/${auditId}/findings`, {
          'finding-kind': 'GOOD_PRACTICE',
          'finding-text': 'Good multi-agency working.',
        })
      ).status,
    ).toBe(302)
    expect(
      (
        await post(manager, `/case-audits/${auditId}/findings`, {
          'finding-kind': 'LEARNING',
          'finding-text': 'Three of four had seen pornography online.',
          'finding-tags': 'Online pornography, learning needs',
        })
      ).status,
    ).toBe(302)
    const noOwner = await post(manager, `/case-audits/${auditId}/recommendations`, {
      'recommendation-text': 'Circulate summaries before the panel.',
      'recommendation-due-day': '10',
      'recommendation-due-month': '5',
      'recommendation-due-year': '2026',
    })
    expect(noOwner.status).toBe(400)
    expect(noOwner.text).toContain('Select who owns the recommendation')
    expect(noOwner.text).toContain('Circulate summaries before the panel.')
    const rec = (text: string, owner: string, ownerText = '') =>
      post(manager, `/case-audits/${auditId}/recommendations`, {
        'recommendation-text': text,
        'recommendation-owner': owner,
        'recommendation-owner-text': ownerText,
        'recommendation-due-day': '31',
        'recommendation-due-month': '3',
        'recommendation-due-year': '2026',
      })
    expect((await rec('Lead auditors make sure casework actions are completed.', 'ALL')).status).toBe(302)
    expect((await rec('Circulate summaries before the panel.', f.agencyIds.csc, 'Business manager')).status).toBe(302)
    const sent = await post(manager, `/case-audits/${auditId}/action-plan`, {})
    expect(sent.status).toBe(302)
    const actions = async () =>
      (
        await asSystem((trx) =>
          sql<{ kind: string; text: string; targetDate: Date; leadText: string | null }>`
        SELECT r.kind, a.text, a.target_date, a.lead_text FROM review_action a JOIN review r ON r.id = a.review_id
        JOIN case_audit c ON c.review_id = r.id WHERE c.id = ${auditId} ORDER BY a.text, a.agency_id`.execute(trx),
        )
      ).rows
    const first = await actions()
    // "All" is one action per agency taking part (2), plus one for the named agency.
    expect(first).toHaveLength(3)
    expect(first.every((a) => a.kind === 'MULTI_AGENCY_CASE_AUDIT')).toBe(true)
    expect(first.find((a) => a.leadText)).toMatchObject({ text: 'Circulate summaries before the panel.', leadText: 'Business manager' })
    expect(first.map((a) => a.targetDate.toISOString().slice(0, 10))).toEqual(['2026-03-31', '2026-03-31', '2026-03-31'])
    expect((await post(manager, `/case-audits/${auditId}/action-plan`, {})).status).toBe(302)
    expect(await actions()).toHaveLength(3)
  })

  it('sets up a deep dive on some of the consented cases, carrying their consent', async () => {
    const consented = samples.filter((s) => s.consent === 'GIVEN')
    const res = await post(manager, `/case-audits/${auditId}/deep-dive`, {
      theme: 'Deep dive: interventions and risk',
      'panel-date-day': '8',
      'panel-date-month': '6',
      'panel-date-year': '2026',
      tool: await builtInTool(),
      cases: consented.slice(0, 2).map((s) => s.id),
      [`agency-${f.agencyIds.csc}`]: 'TAKING_PART',
      [`auditor-${f.agencyIds.csc}`]: f.users.LEAD_AUDITOR.id,
    })
    expect(res.status).toBe(302)
    const dive = idFrom(res.headers.location!)
    const diveSamples = await samplesOf(dive)
    expect(diveSamples.map((s) => [s.caseId, s.consent])).toEqual(consented.slice(0, 2).map((s) => [s.caseId, 'GIVEN']))
    expect(
      (
        await post(manager, `/case-audits/${dive}/findings`, {
          'finding-kind': 'CONCLUSION',
          'finding-text': 'Single incidents drew attention away from patterns.',
        })
      ).status,
    ).toBe(302)
    const page = await auditor.get(`/case-audits/${dive}/cases/${diveSamples[0]!.id}`)
    expect(page.status).toBe(200)
  })

  it('ends auditor access when the audit closes; later reads are denied and audited', async () => {
    expect((await post(manager, `/case-audits/${auditId}/close`, {})).status).toBe(302)
    const before = (await auditRows(f.users.LEAD_AUDITOR.id, 'case-audit:read')).length
    const res = await auditor.get(`/case-audits/${auditId}/cases/${samples[1]!.id}`)
    expect(res.status).toBe(403)
    expect(res.text).toContain('This audit is closed')
    const save = await post(auditor, `/case-audits/${auditId}/cases/${samples[1]!.id}`, { summary: 'late', 'feedback-given': 'no' })
    expect(save.status).toBe(403)
    const rows = await auditRows(f.users.LEAD_AUDITOR.id, 'case-audit:read')
    expect(rows).toHaveLength(before + 1)
    expect(rows.at(-1)).toMatchObject({ recordType: 'case', recordId: samples[1]!.caseId, outcome: 'DENIED', detail: { auditId } })
    expect((await auditRows(f.users.LEAD_AUDITOR.id, 'case-audit:save-summary')).at(-1)).toMatchObject({
      outcome: 'DENIED',
      recordId: samples[1]!.caseId,
    })
    expect(
      (await post(manager, `/case-audits/${auditId}/findings`, { 'finding-kind': 'GOOD_PRACTICE', 'finding-text': 'Late' })).status,
    ).toBe(409)
  })

  it('reports numbers that match the records, as a page, DOCX and PDF', async () => {
    const rows = await samplesOf(auditId)
    const agencies = await asSystem((trx) =>
      trx.selectFrom('caseAuditAgency').select('participation').where('auditId', '=', auditId).execute(),
    )
    const expected = {
      selected: rows.filter((s) => !s.replacesSampleId).length,
      consented: rows.filter((s) => s.consent === 'GIVEN').length,
      refused: rows.filter((s) => s.consent === 'REFUSED').length,
      discussed: rows.filter((s) => s.discussedAtPanel && s.consent === 'GIVEN').length,
      'taking-part': agencies.filter((a) => a.participation === 'TAKING_PART').length,
      unable: agencies.filter((a) => a.participation === 'UNABLE').length,
    }
    expect(expected).toEqual({ selected: 5, consented: 4, refused: 1, discussed: 3, 'taking-part': 2, unable: 1 })
    const page = await outsider.get(`/case-audits/${auditId}/report`)
    expect(page.status).toBe(200)
    for (const [k, n] of Object.entries(expected)) expect(page.text, k).toContain(`data-qa="n-${k}">${n}<`)
    expect(page.text).toContain('Five cases were selected at random')
    expect(page.text).toContain('Consent was obtained from four families')
    expect(page.text).toContain('Fixture School was unable to take part.')
    expect(page.text).toContain('where three of the four cases were discussed')
    expect(page.text).toContain('Themes: online pornography (1), learning needs (1).')
    expect(page.text).toContain('All agencies taking part')
    expect(page.text).toContain('Single incidents drew attention away from patterns.')
    const docx = await outsider
      .get(`/case-audits/${auditId}/report.docx`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(docx.status).toBe(200)
    expect(docx.headers['content-type']).toContain('wordprocessingml')
    expect((docx.body as Buffer).subarray(0, 2).toString()).toBe('PK')
    const pdf = await outsider
      .get(`/case-audits/${auditId}/report.pdf`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(pdf.status).toBe(200)
    expect((pdf.body as Buffer).subarray(0, 4).toString()).toBe('%PDF')
    const themes = await outsider.get('/case-audits/themes')
    expect(themes.text).toContain('online pornography')
  })
})

describe('another partnership’s agencies and auditors', () => {
  it('are never offered when setting up an audit or choosing its cohort', async () => {
    const other = await asSystem((trx) =>
      trx.selectFrom('partnership').select('id').where('name', 'like', 'Other Fixture Partnership%').executeTakeFirstOrThrow(),
    )
    const otherAgency = await asSystem((trx) =>
      trx.selectFrom('agency').select('id').where('partnershipId', '=', other.id).executeTakeFirstOrThrow(),
    )
    const created = await t.services.admin.service.createUser(
      { system: true, partnershipId: other.id },
      {
        displayName: 'Elsewhere Auditor',
        email: 'elsewhere.auditor@fixture.example',
        agencyId: otherAgency.id,
        roles: ['LEAD_AUDITOR'],
        teamIds: [],
        password: TEST_PASSWORD,
        totpSecret: newTotpSecret(),
      },
      null,
    )
    expect(created.ok).toBe(true)
    const form = await manager.get('/case-audits/new')
    expect(form.status).toBe(200)
    expect(form.text).toContain('Fixture Police')
    expect(form.text).toContain('Fixture LEAD_AUDITOR')
    expect(form.text).not.toContain('Elsewhere Children’s Services')
    expect(form.text).not.toContain(otherAgency.id)
    expect(form.text).not.toContain('Elsewhere Auditor')
    const audit = await asSystem((trx) =>
      trx.selectFrom('caseAudit').select('id').where('partnershipId', '=', f.partnershipId).executeTakeFirstOrThrow(),
    )
    const page = await manager.get(`/case-audits/${audit.id}`)
    expect(page.status).toBe(200)
    expect(page.text).not.toContain(otherAgency.id)
    expect(page.text).not.toContain('Elsewhere Children’s Services')
  })
})
