import { describe, expect, it } from 'vitest'
import {
  ageBandOf,
  auditFollows,
  checkAuditWhen,
  checkDefinition,
  drawOrder,
  drawSample,
  HSB_PRACTICE_TOOL,
  mulberry32,
  nextDraw,
  parseSeed,
  parseTags,
  parseToolDefinition,
  processNumbers,
  validateConsent,
  validateRecommendation,
  validateSummary,
  panelDayOf,
  whenDetail,
} from './case-audits.rules.js'

const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

describe('the seeded draw', () => {
  it('mulberry32 gives the same numbers for the same seed, and others for another', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const c = mulberry32(43)
    const xs = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(xs)
    expect([c(), c(), c()]).not.toEqual(xs)
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true)
  })

  it('selects the same cases for the same seed whatever order the cohort arrives in', () => {
    const first = drawSample(ids, 20170220, 5)
    const again = drawSample([...ids].reverse(), 20170220, 5)
    expect(first.ok && again.ok).toBe(true)
    if (!first.ok || !again.ok) return
    expect(again.value).toEqual(first.value)
    expect(first.value.map((d) => d.drawNumber)).toEqual([1, 2, 3, 4, 5])
    expect(new Set(first.value.map((d) => d.caseId)).size).toBe(5)
    const other = drawSample(ids, 7, 5)
    expect(other.ok && other.value.map((d) => d.caseId)).not.toEqual(first.value.map((d) => d.caseId))
  })

  it('is a permutation of the cohort, and a replacement is the next case in that order', () => {
    const order = drawOrder(ids, 99)
    expect([...order].sort()).toEqual([...ids].sort())
    expect(nextDraw(ids, 99, 5)).toEqual({ caseId: order[5], drawNumber: 6 })
    expect(nextDraw(ids, 99, 12)).toBeNull()
  })

  it('refuses a sample larger than the cohort, an empty cohort, and a bad size', () => {
    expect(drawSample(ids.slice(0, 3), 1, 5)).toEqual({
      ok: false,
      errors: [{ href: '#sample-size', text: 'The sample (5) is larger than the cohort (3 cases). Select 3 or fewer' }],
    })
    expect(drawSample([], 1, 5)).toMatchObject({ ok: false, errors: [{ text: expect.stringContaining('No cases match the cohort') }] })
    expect(drawSample(ids, 1, 0).ok).toBe(false)
  })

  it('reads a seed or leaves it to be chosen', () => {
    expect(parseSeed('')).toEqual({ ok: true, value: null })
    expect(parseSeed(' 4294967295 ')).toEqual({ ok: true, value: 4294967295 })
    expect(parseSeed('4294967296').ok).toBe(false)
    expect(parseSeed('-1').ok).toBe(false)
  })
})

describe('audit tools', () => {
  it('ships an HSB practice template covering the framework’s five themes', () => {
    expect(checkDefinition(HSB_PRACTICE_TOOL).ok).toBe(true)
    expect(HSB_PRACTICE_TOOL.sections.map((s) => s.title)).toEqual([
      'Policy and procedure',
      'Early help and the first response',
      'Assessment',
      'Intervention and safety planning',
      'Workforce and multi-agency working',
    ])
  })

  it('loads a CSV tool with the scale from the form', () => {
    const r = parseToolDefinition(
      'CSV',
      'section,code,question\nAssessment,A1,"Was the plan, in the end, right?"\nAssessment,A2,Second\nVoice,V1,Heard?\n',
      'Good\nNot good',
      true,
    )
    expect(r).toEqual({
      ok: true,
      value: {
        scale: [
          { key: 'GOOD', label: 'Good' },
          { key: 'NOT_GOOD', label: 'Not good' },
        ],
        freeText: true,
        sections: [
          {
            title: 'Assessment',
            questions: [
              { code: 'A1', text: 'Was the plan, in the end, right?' },
              { code: 'A2', text: 'Second' },
            ],
          },
          { title: 'Voice', questions: [{ code: 'V1', text: 'Heard?' }] },
        ],
      },
    })
  })

  it('loads a JSON tool, and names what is wrong with a bad one', () => {
    const ok = parseToolDefinition(
      'JSON',
      JSON.stringify({
        scale: ['Met', 'Partly met', 'Not met'],
        sections: [{ title: 'Policy', questions: ['Was guidance followed?', { code: 'P2', text: 'Recorded?' }] }],
      }),
      '',
      true,
    )
    expect(ok.ok && ok.value.sections[0]!.questions).toEqual([
      { code: 'Q1', text: 'Was guidance followed?' },
      { code: 'P2', text: 'Recorded?' },
    ])
    expect(parseToolDefinition('JSON', '{ nope', '', true)).toMatchObject({ ok: false, errors: [{ href: '#definition' }] })
    expect(parseToolDefinition('CSV', 'section,code,question\nA,Q1,x\nB,Q1,y', 'Good\nBad', true)).toMatchObject({
      ok: false,
      errors: [{ text: 'Question code “Q1” is used twice' }],
    })
    expect(parseToolDefinition('CSV', 'a,b\n', 'Good\nBad', true)).toMatchObject({
      ok: false,
      errors: [{ text: expect.stringContaining('section,code,question') }],
    })
    expect(parseToolDefinition('CSV', 'section,code,question\nA,Q1,x', 'Only one', true)).toMatchObject({
      ok: false,
      errors: [{ href: '#scale' }],
    })
  })
})

describe('summary sheets, consent, findings and recommendations', () => {
  const base = {
    grades: { A1: 'GOOD' },
    notes: { '2': 'Thorough.' },
    overall: 'GOOD',
    summary: 'Good multi-agency work.',
    feedbackGiven: 'yes',
    feedback: 'Mum felt listened to.',
  }
  it('accepts grades in the scale and refuses one outside it, naming the scale', () => {
    expect(validateSummary(base, HSB_PRACTICE_TOOL)).toMatchObject({
      ok: true,
      value: { grades: { A1: 'GOOD' }, overall: 'GOOD', feedbackGiven: true },
    })
    const bad = validateSummary({ ...base, grades: { A1: 'EXCELLENT' } }, HSB_PRACTICE_TOOL)
    expect(bad).toEqual({
      ok: false,
      errors: [{ href: '#grade-A1', text: 'The grade for A1 must be one of: Outstanding, Good, Requires improvement, Inadequate' }],
    })
    expect(validateSummary({ ...base, feedback: '' }, HSB_PRACTICE_TOOL)).toMatchObject({ ok: false, errors: [{ href: '#feedback' }] })
  })

  it('needs who, when and how for a consent answer, and never a future date', () => {
    expect(validateConsent({ state: 'REFUSED', by: 'PARENT', on: '2026-02-01', how: 'PHONE', replace: true }, '2026-02-03')).toEqual({
      ok: true,
      value: { state: 'REFUSED', by: 'PARENT', on: '2026-02-01', how: 'PHONE', replace: true },
    })
    expect(validateConsent({ state: 'GIVEN', by: 'PARENT', on: '2026-02-01', how: 'PHONE', replace: true }, '2026-02-03')).toMatchObject({
      ok: true,
      value: { replace: false },
    })
    expect(validateConsent({ state: 'GIVEN', by: '', on: '2026-02-05', how: '', replace: false }, '2026-02-03')).toMatchObject({
      ok: false,
      errors: [{ href: '#by' }, { href: '#on-day' }, { href: '#how' }],
    })
  })

  it('needs an owner for a recommendation', () => {
    const input = { text: 'Circulate summaries before the panel', owner: '', ownerText: 'Business manager', due: '2026-05-10' }
    expect(validateRecommendation(input, ['a1'])).toMatchObject({ ok: false, errors: [{ href: '#recommendation-owner' }] })
    expect(validateRecommendation({ ...input, owner: 'ALL' }, ['a1'])).toMatchObject({
      ok: true,
      value: { allAgencies: true, ownerAgencyId: null },
    })
    expect(validateRecommendation({ ...input, owner: 'a1' }, ['a1'])).toMatchObject({
      ok: true,
      value: { ownerAgencyId: 'a1', ownerText: 'Business manager' },
    })
  })

  it('tags themes in lower case, once each', () => {
    expect(parseTags('Online pornography, learning needs,  online   PORNOGRAPHY ,')).toEqual(['online pornography', 'learning needs'])
  })

  it('counts the report’s numbers from the records', () => {
    const s = (consent: 'GIVEN' | 'REFUSED' | 'SOUGHT', discussedAtPanel = false, replacesSampleId: string | null = null) => ({
      consent,
      discussedAtPanel,
      replacesSampleId,
    })
    const n = processNumbers(
      9,
      [s('GIVEN', true), s('GIVEN', true), s('GIVEN', true), s('GIVEN'), s('REFUSED', true)],
      [
        ...[...Array(7)].map(() => ({ participation: 'TAKING_PART' as const })),
        ...[...Array(3)].map(() => ({ participation: 'UNABLE' as const })),
      ],
      [{ feedbackGiven: true }],
    )
    expect(n).toEqual({
      cohort: 9,
      selected: 5,
      replacements: 0,
      consented: 4,
      refused: 1,
      awaiting: 0,
      discussed: 3,
      takingPart: 7,
      unable: 3,
      summarySheets: 1,
      withFeedback: 1,
    })
  })

  it('gives an age band, never the date of birth', () => {
    expect(ageBandOf('2012-04-01', '2026-03-31')).toBe('10 to 13')
    expect(ageBandOf('2012-04-01', '2026-04-01')).toBe('14 to 17')
    expect(ageBandOf('2019-01-01', '2026-04-01')).toBe('Under 10')
  })
})

describe('when the panel met and a finding was agreed', () => {
  // 7 December 2026, 15:00 in London (GMT); the audit set up on 2 November, its sample drawn on 9 November.
  const now = new Date('2026-12-07T15:00:00Z')
  const audit = { createdAt: new Date('2026-11-02T10:00:00Z'), sampledAt: new Date('2026-11-09T10:00:00Z'), parentAuditId: null }
  const rules = { now, lateAfterDays: 7 }
  const typed = (day: string, month: string, time: string, lateReason = '') => ({ day, month, year: '2026', time, lateReason })
  const texts = (r: ReturnType<typeof checkAuditWhen>) => (r.ok ? [] : r.errors.map((e) => e.text))

  it('the panel follows the draw of its sample; a finding, and a deep dive’s panel, the set-up', () => {
    expect(auditFollows('panel', audit)).toEqual({ label: 'the sample was drawn', at: audit.sampledAt })
    expect(auditFollows('finding', audit)).toEqual({ label: 'the audit was set up', at: audit.createdAt })
    const dive = { ...audit, sampledAt: null, parentAuditId: 'p' }
    expect(auditFollows('panel', dive)).toEqual({ label: 'the deep dive was set up', at: audit.createdAt })
  })

  it('blank is now; not in the future; not before the step it follows, named with its time', () => {
    expect(checkAuditWhen({ ...typed('', '', ''), year: '' }, 'panel', audit, rules)).toEqual({
      ok: true,
      value: { occurredAt: now, lateReason: null, given: false },
    })
    expect(texts(checkAuditWhen(typed('8', '12', '9:00'), 'panel', audit, rules))).toEqual([
      'The date and time it happened must be now or in the past',
    ])
    expect(texts(checkAuditWhen(typed('5', '11', '10:00', 'Minutes by post'), 'panel', audit, rules))).toEqual([
      'The date and time it happened must be the same as or after the sample was drawn (10am on 9 November 2026)',
    ])
    // A finding may come before the draw, not before the set-up.
    expect(checkAuditWhen(typed('5', '11', '10:00', 'Minutes by post'), 'finding', audit, rules).ok).toBe(true)
    expect(texts(checkAuditWhen(typed('1', '11', '10:00', 'Minutes by post'), 'finding', audit, rules))).toEqual([
      'The date and time it happened must be the same as or after the audit was set up (10am on 2 November 2026)',
    ])
  })

  it('more than the set days back needs the reason it is entered late, and keeps it', () => {
    const late = checkAuditWhen(typed('20', '11', '14:00'), 'panel', audit, rules)
    expect(late).toMatchObject({ ok: false, errors: [{ href: '#late-reason' }] })
    expect(checkAuditWhen(typed('20', '11', '14:00', 'Minutes by post'), 'panel', audit, rules)).toEqual({
      ok: true,
      value: { occurredAt: new Date('2026-11-20T14:00:00Z'), lateReason: 'Minutes by post', given: true },
    })
    expect(checkAuditWhen(typed('4', '12', '14:00'), 'finding', audit, rules)).toMatchObject({ ok: true, value: { lateReason: null } })
  })

  it('the audit log carries when it happened when it was given, and the reason when there is one', () => {
    const at = new Date('2026-11-20T14:00:00Z')
    expect(whenDetail({ occurredAt: now, lateReason: null, given: false })).toEqual({})
    expect(whenDetail({ occurredAt: at, lateReason: null, given: true })).toEqual({ occurredAt: at.toISOString() })
    expect(whenDetail({ occurredAt: at, lateReason: 'Minutes by post', given: true })).toEqual({
      occurredAt: at.toISOString(),
      lateReason: 'Minutes by post',
    })
  })

  it('the panel’s date is when it met, or the date planned until then', () => {
    const planned = new Date('2026-12-20T00:00:00Z')
    expect(panelDayOf({ panelDate: planned, panelHeldAt: null })).toBe(planned)
    expect(panelDayOf({ panelDate: planned, panelHeldAt: now })).toBe(now)
  })
})
