import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/demo/seed.js'
import { DEMO_EMAILS } from '../../src/demo/demo-data.js'
import { demoPeople } from '../../src/demo/demo-steps.js'
import { readRequestForm } from '../../src/features/subject-access/index.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, type TestApp } from '../support/app.js'

/**
 * The bundle covers every feature: for demo children, every table that holds something about
 * the child (counted here independently, straight from each feature's table) has its items in
 * the bundle, one item per row; and across them every feature that holds children's data appears.
 */
let t: TestApp
let partnershipId: string
beforeAll(async () => {
  t = await createTestApp({ DEMO_MODE: 'true' })
  partnershipId = (await seedDemo(t.services)).partnershipId
}, 300_000)
afterAll(async () => t.close())

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

/** How many rows each source holds about the child, read from the features' own tables. */
async function heldAbout(childId: string): Promise<Record<string, number>> {
  return system(async (trx) => {
    const cases = (await trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute()).map((c) => c.id)
    const inCases = async (
      table:
        | 'requestForSupport'
        | 'requestUpdate'
        | 'screening'
        | 'caseEvent'
        | 'caseClock'
        | 'meeting'
        | 'aimAssessment'
        | 'hsbPanel'
        | 'caseClosure'
        | 'criminalProcessEntry'
        | 'chronologyEntry'
        | 'caseFactor'
        | 'caseAuditSample',
    ) => (cases.length ? (await trx.selectFrom(table).select('id').where('caseId', 'in', cases).execute()).length : 0)
    const meetings = cases.length
      ? (await trx.selectFrom('meeting').select('id').where('caseId', 'in', cases).execute()).map((m) => m.id)
      : []
    const assessments = cases.length
      ? (await trx.selectFrom('aimAssessment').select('id').where('caseId', 'in', cases).execute()).map((a) => a.id)
      : []
    const byAssessment = async (table: 'aimInformation' | 'aimInterview' | 'aimExtension') =>
      assessments.length ? (await trx.selectFrom(table).select('id').where('assessmentId', 'in', assessments).execute()).length : 0
    return {
      child: 1,
      child_link: (
        await trx
          .selectFrom('childLink')
          .select('id')
          .where((eb) => eb.or([eb('childId', '=', childId), eb('linkedChildId', '=', childId)]))
          .execute()
      ).length,
      child_involvement: (await trx.selectFrom('childInvolvement').select('id').where('childId', '=', childId).execute()).length,
      hsb_case: cases.length,
      request_for_support: await inCases('requestForSupport'),
      request_update: await inCases('requestUpdate'),
      screening: await inCases('screening'),
      case_event: await inCases('caseEvent'),
      case_clock: await inCases('caseClock'),
      meeting: await inCases('meeting'),
      meeting_addendum: meetings.length
        ? (await trx.selectFrom('meetingAddendum').select('id').where('meetingId', 'in', meetings).execute()).length
        : 0,
      aim_assessment: await inCases('aimAssessment'),
      aim_information: await byAssessment('aimInformation'),
      aim_interview: await byAssessment('aimInterview'),
      aim_extension: await byAssessment('aimExtension'),
      intervention_plan: cases.length
        ? (
            await trx
              .selectFrom('interventionPlanVersion as v')
              .innerJoin('interventionPlan as p', 'p.id', 'v.planId')
              .select('v.id')
              .where('p.caseId', 'in', cases)
              .execute()
          ).length
        : 0,
      hsb_panel: await inCases('hsbPanel'),
      case_closure: await inCases('caseClosure'),
      criminal_process: await inCases('criminalProcessEntry'),
      chronology_entry: await inCases('chronologyEntry'),
      case_factor: await inCases('caseFactor'),
      abe_material: (
        await trx
          .selectFrom('abeMaterial')
          .select('id')
          .where((eb) => eb.or([eb('harmedChildId', '=', childId), ...(cases.length ? [eb('caseId', 'in', cases)] : [])]))
          .execute()
      ).length,
      ssd_record: (
        await trx
          .selectFrom('ssdRecord')
          .select('sourceKey')
          .where('targetId', 'in', [childId, ...cases])
          .execute()
      ).length,
      case_audit: await inCases('caseAuditSample'),
    }
  })
}

async function bundleFor(childId: string): Promise<Record<string, number>> {
  const { ruth } = await demoPeople(t.services, partnershipId, { ruth: DEMO_EMAILS.ruth })
  const service = t.services.subjectAccess.service
  const { input, errors } = readRequestForm(
    {
      'form-key': crypto.randomUUID(),
      'child-id': childId,
      'subject-kind': 'CHILD',
      'received-day': '2',
      'received-month': '2',
      'received-year': '2026',
      'identity-checked': 'no',
    },
    '2026-12-31',
  )
  expect(errors).toEqual([])
  const saved = await service.create(ruth, input, 'test')
  if (!saved.ok) throw new Error('not saved')
  await service.gather(ruth, saved.value, 'test')
  const rows = await system((trx) => trx.selectFrom('subjectAccessItem').select('source').where('requestId', '=', saved.value).execute())
  const counts: Record<string, number> = {}
  for (const r of rows) counts[r.source] = (counts[r.source] ?? 0) + 1
  return counts
}

describe('a subject access bundle', () => {
  it('holds, for each demo child, one item for every row each feature holds about them, and across them every feature', async () => {
    // For each feature, the first child (by id, so the same every run) it holds something about: together they cover every feature.
    const first = async (rows: Promise<{ childId: string }[]>) => (await rows).map((r) => r.childId)
    const byCase = (
      table:
        | 'requestForSupport'
        | 'requestUpdate'
        | 'screening'
        | 'meeting'
        | 'aimAssessment'
        | 'hsbPanel'
        | 'caseClosure'
        | 'criminalProcessEntry'
        | 'chronologyEntry'
        | 'caseFactor'
        | 'caseAuditSample'
        | 'abeMaterial',
    ) =>
      system((trx) =>
        first(
          trx
            .selectFrom(`${table} as x` as 'meeting as x')
            .innerJoin('hsbCase as k', 'k.id', 'x.caseId')
            .select('k.childId')
            .orderBy('k.childId')
            .limit(1)
            .execute(),
        ),
      )
    const byAssessment = (table: 'aimInformation' | 'aimInterview') =>
      system((trx) =>
        first(
          trx
            .selectFrom(`${table} as x` as 'aimInterview as x')
            .innerJoin('aimAssessment as a', 'a.id', 'x.assessmentId')
            .select('a.childId')
            .orderBy('a.childId')
            .limit(1)
            .execute(),
        ),
      )
    const ids = [
      ...new Set(
        (
          await Promise.all([
            ...(
              [
                'requestForSupport',
                'requestUpdate',
                'screening',
                'meeting',
                'aimAssessment',
                'hsbPanel',
                'caseClosure',
                'criminalProcessEntry',
                'chronologyEntry',
                'caseFactor',
                'caseAuditSample',
                'abeMaterial',
              ] as const
            ).map(byCase),
            byAssessment('aimInformation'),
            byAssessment('aimInterview'),
            system((trx) =>
              first(
                trx
                  .selectFrom('interventionPlan as p')
                  .innerJoin('hsbCase as k', 'k.id', 'p.caseId')
                  .select('k.childId')
                  .orderBy('k.childId')
                  .limit(1)
                  .execute(),
              ),
            ),
            system((trx) =>
              first(
                trx
                  .selectFrom('ssdRecord as r')
                  .innerJoin('child as c', 'c.id', 'r.targetId')
                  .select('c.id as childId')
                  .orderBy('c.id')
                  .limit(1)
                  .execute(),
              ),
            ),
            system((trx) =>
              first(trx.selectFrom('abeMaterial').select('harmedChildId as childId').orderBy('harmedChildId').limit(1).execute()),
            ),
            system((trx) => first(trx.selectFrom('childLink').select('childId').orderBy('childId').limit(1).execute())),
          ])
        ).flat(),
      ),
    ]
    expect(ids.length).toBeGreaterThanOrEqual(3)

    const covered = new Set<string>()
    for (const childId of ids) {
      const held = await heldAbout(childId)
      const bundle = await bundleFor(childId)
      for (const [source, n] of Object.entries(held)) {
        expect(bundle[source] ?? 0, `${source} for child ${childId}`).toBe(n)
        if (n > 0) covered.add(source)
      }
    }
    // Every feature that holds children's data is in at least one of these bundles.
    expect([...covered].sort()).toEqual(
      [
        'abe_material',
        'aim_assessment',
        'aim_information',
        'aim_interview',
        'case_audit',
        'case_clock',
        'case_event',
        'case_factor',
        'child',
        'child_involvement',
        'child_link',
        'chronology_entry',
        'criminal_process',
        'hsb_case',
        'hsb_panel',
        'intervention_plan',
        'meeting',
        'request_for_support',
        'request_update',
        'screening',
        'ssd_record',
        'case_closure',
      ].sort(),
    )
  }, 120_000)

  it('has the demo request for Ash Fernley waiting for approval, with Robin Quayle’s name pre-marked', async () => {
    const row = await system((trx) =>
      trx
        .selectFrom('subjectAccessRequest as r')
        .innerJoin('child as c', 'c.id', 'r.childId')
        .select(['r.id', 'r.status'])
        .where('c.givenNames', '=', 'Ash')
        .orderBy('r.recordedAt')
        .executeTakeFirstOrThrow(),
    )
    expect(row.status).toBe('SUBMITTED')
    const marks = await system((trx) =>
      trx.selectFrom('subjectAccessRedaction').select(['preMarked', 'reasonCode']).where('requestId', '=', row.id).execute(),
    )
    expect(marks.length).toBeGreaterThan(0)
    expect(marks.every((m) => m.preMarked && m.reasonCode === 'THIRD_PARTY_CHILD')).toBe(true)
  })
})
