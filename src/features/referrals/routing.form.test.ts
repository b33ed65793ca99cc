import { describe, expect, it } from 'vitest'
import { parseAllocation, parseGreenDecision, parseOversight } from './routing.form.js'

const ID = '6f1c1d8e-9a3b-4c2d-8e5f-1a2b3c4d5e6f'
const ID2 = '7f1c1d8e-9a3b-4c2d-8e5f-1a2b3c4d5e6f'
const hrefs = (r: { ok: boolean; errors?: { href: string }[] }) => (r.ok ? [] : (r.errors ?? []).map((e) => e.href))

/** No date or time given: it happened now. */
const NOT_SAID = { day: '', month: '', year: '', time: '', lateReason: '' }

describe('parseOversight', () => {
  it('confirms with an optional note', () => {
    expect(parseOversight({ outcome: 'CONFIRM', note: '', 'screening-id': ID, version: '4' })).toEqual({
      ok: true,
      value: { outcome: 'CONFIRM', note: null, screeningId: ID, version: 4 },
      outcome: 'CONFIRM',
      when: NOT_SAID,
    })
  })
  it('carries when it happened as typed, for the kernel to check against the case', () => {
    const body = {
      outcome: 'CONFIRM',
      'screening-id': ID,
      version: '4',
      'occurred-day': '3',
      'occurred-month': '11',
      'occurred-year': '2025',
    }
    expect(parseOversight({ ...body, 'occurred-time': '9:30am', 'late-reason': 'Paper file' }).when).toEqual({
      day: '3',
      month: '11',
      year: '2025',
      time: '9:30am',
      lateReason: 'Paper file',
    })
  })
  it('a return needs a note', () => {
    expect(hrefs(parseOversight({ outcome: 'RETURN', note: ' ', 'screening-id': ID, version: '4' }))).toEqual(['#note'])
  })
  it('no choice', () => expect(hrefs(parseOversight({ 'screening-id': ID, version: '4' }))).toEqual(['#outcome']))
  it('a missing screening id or version is incomplete', () => {
    expect(parseOversight({ outcome: 'CONFIRM', version: '4' })).toMatchObject({ ok: false, incomplete: true })
    expect(parseOversight({ outcome: 'CONFIRM', 'screening-id': ID })).toMatchObject({ ok: false, incomplete: true })
  })
})

describe('parseGreenDecision', () => {
  const cases: { name: string; body: Record<string, string>; expected: string[] }[] = [
    { name: 'nothing chosen', body: {}, expected: ['#decision'] },
    { name: 'no further action without a reason', body: { decision: 'NO_FURTHER_ACTION', reason: '' }, expected: ['#reason'] },
    {
      name: 'early help without professionals or the assessment answered',
      body: { decision: 'EARLY_HELP' },
      expected: ['#professionals', '#eha-requested'],
    },
    { name: 'early help, complete', body: { decision: 'EARLY_HELP', professionals: 'School nurse', 'eha-requested': 'yes' }, expected: [] },
  ]
  for (const c of cases) it(c.name, () => expect(hrefs(parseGreenDecision({ ...c.body, version: '2' }))).toEqual(c.expected))

  it('keeps only what the decision needs', () => {
    expect(
      parseGreenDecision({
        decision: 'EARLY_HELP',
        professionals: ' School nurse ',
        'eha-requested': 'no',
        reason: 'ignored',
        version: '2',
      }),
    ).toMatchObject({
      ok: true,
      value: { decision: 'EARLY_HELP', professionals: 'School nurse', earlyHelpAssessmentRequested: false, version: 2 },
    })
  })
})

describe('parseAllocation', () => {
  it('a team and a worker; interim measures optional here (the service decides when they are needed)', () => {
    expect(parseAllocation({ team: ID, worker: ID2, 'interim-measures': '', version: '1' })).toEqual({
      ok: true,
      value: { teamId: ID, userId: ID2, interimMeasures: null, version: 1 },
      when: NOT_SAID,
    })
  })
  it('nothing selected', () => expect(hrefs(parseAllocation({ version: '1' }))).toEqual(['#team', '#worker']))
  it('no version', () => expect(parseAllocation({ team: ID, worker: ID2 })).toMatchObject({ ok: false, incomplete: true }))
})
