import { describe, expect, it } from 'vitest'
import {
  checkCoAssessors,
  checkDecision,
  checkExtension,
  checkInterview,
  checkRecord,
  checkReplacement,
  decideSignOff,
  defaultModel,
  emptyRecord,
  readRecord,
  trainingCheck,
  type AssessmentRecord,
  type Candidate,
  type RecordInput,
} from './assessments.rules.js'

const TODAY = '2026-11-23'
const trained = (id: string, name: string, training: Candidate['training'], roles = ['AIM_PRACTITIONER']): Candidate => ({
  id,
  displayName: name,
  roles,
  training,
})
const ana = trained('a', 'Ana Lee', [{ model: 'AIM3', completedOn: '2025-01-01', expiresOn: '2028-01-01' }])
const ben = trained('b', 'Ben Ray', [{ model: 'AIM3', completedOn: '2024-01-01', expiresOn: null }], ['SOCIAL_WORKER'])
const cal = trained('c', 'Cal Ode', [{ model: 'AIM3', completedOn: '2025-06-01', expiresOn: '2029-06-01' }], ['YOS_OFFICER'])
const dana = trained('d', 'Dana Smith', [{ model: 'AIM3', completedOn: '2023-03-03', expiresOn: '2026-03-03' }])
const eve = trained('e', 'Eve Nash', [{ model: 'AIM_UNDER_12S', completedOn: '2025-01-01', expiresOn: null }])
const lead = trained('h', 'Hal Lead', [{ model: 'AIM3', completedOn: '2025-01-01', expiresOn: null }], ['HSB_LEAD'])
const candidates = [ana, ben, cal, dana, eve, lead]

describe('training currency', () => {
  it('is current from completion until (not on) the expiry date', () => {
    expect(trainingCheck('Ana Lee', ana.training, 'AIM3', TODAY)).toEqual({ current: true, expiresOn: '2028-01-01' })
    const expiring = [{ model: 'AIM3', completedOn: '2023-01-01', expiresOn: TODAY }]
    expect(trainingCheck('X', expiring, 'AIM3', TODAY).current).toBe(false)
    expect(trainingCheck('X', expiring, 'AIM3', '2026-11-22').current).toBe(true)
  })

  it('names the missing training and when it expired', () => {
    expect(trainingCheck('Dana Smith', dana.training, 'AIM3', TODAY)).toEqual({
      current: false,
      message: 'Dana Smith has no current AIM3 training (expired on 3 March 2026)',
    })
    expect(trainingCheck('Eve Nash', eve.training, 'AIM3', TODAY)).toEqual({
      current: false,
      message: 'Eve Nash has no current AIM3 training (none recorded)',
    })
    expect(trainingCheck('Ana Lee', ana.training, 'AIM_UNDER_12S', TODAY)).toEqual({
      current: false,
      message: 'Ana Lee has no current AIM Under 12s training (none recorded)',
    })
  })

  it('does not count training completed in the future, and a renewal makes an expired record current again', () => {
    expect(trainingCheck('X', [{ model: 'AIM2', completedOn: '2026-12-01', expiresOn: null }], 'AIM2', TODAY).current).toBe(false)
    const renewed = [...dana.training, { model: 'AIM3', completedOn: '2026-10-01', expiresOn: '2029-10-01' }]
    expect(trainingCheck('Dana Smith', renewed, 'AIM3', TODAY).current).toBe(true)
  })

  it('suggests AIM Under 12s for a child under 12 and AIM3 from the 12th birthday', () => {
    expect(defaultModel('2014-11-24', TODAY)).toBe('AIM_UNDER_12S')
    expect(defaultModel('2014-11-23', TODAY)).toBe('AIM3')
    expect(defaultModel('2010-01-01', TODAY)).toBe('AIM3')
  })
})

describe('naming co-assessors', () => {
  const facts = { candidates, today: TODAY, alreadyNamed: 0 }
  it('accepts exactly two different trained people who can assess', () => {
    expect(checkCoAssessors({ selected: ['a', 'b'], model: 'AIM3' }, facts)).toEqual({
      ok: true,
      value: { userIds: ['a', 'b'], model: 'AIM3' },
    })
  })

  it('refuses one, three, or the same person twice', () => {
    const one = checkCoAssessors({ selected: ['a'], model: 'AIM3' }, facts)
    expect(one.ok ? [] : one.errors.map((e) => e.text)).toEqual(['Select exactly two co-assessors'])
    const three = checkCoAssessors({ selected: ['a', 'b', 'c'], model: 'AIM3' }, facts)
    expect(three.ok ? '' : three.errors[0]!.text).toMatch(/exactly two co-assessors: you selected 3/)
    const twice = checkCoAssessors({ selected: ['a', 'a'], model: 'AIM3' }, facts)
    expect(twice.ok ? '' : twice.errors[0]!.text).toBe('Select two different people')
  })

  it('refuses a third once two are named', () => {
    const third = checkCoAssessors({ selected: ['c', 'b'], model: 'AIM3' }, { ...facts, alreadyNamed: 2 })
    expect(third.ok ? '' : third.errors[0]!.text).toMatch(/already has two co-assessors/)
  })

  it('refuses an untrained, expired or wrongly-trained person by name, and a role that cannot assess', () => {
    const r = checkCoAssessors({ selected: ['a', 'd'], model: 'AIM3' }, facts)
    expect(r.ok ? [] : r.errors).toEqual([
      { href: '#co-assessors', text: 'Dana Smith has no current AIM3 training (expired on 3 March 2026)' },
    ])
    const under12 = checkCoAssessors({ selected: ['a', 'e'], model: 'AIM_UNDER_12S' }, facts)
    expect(under12.ok ? [] : under12.errors.map((e) => e.text)).toEqual(['Ana Lee has no current AIM Under 12s training (none recorded)'])
    const role = checkCoAssessors({ selected: ['a', 'h'], model: 'AIM3' }, facts)
    expect(role.ok ? '' : role.errors[0]!.text).toMatch(/Hal Lead cannot be a co-assessor/)
  })

  it('needs a model and people from the list', () => {
    const r = checkCoAssessors({ selected: ['a', 'zzz'], model: 'AIM9' }, facts)
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#model', '#co-assessors'])
  })
})

describe('replacing a co-assessor', () => {
  const named = [
    { id: 'ca', userId: 'a', displayName: 'Ana Lee', signedOffAt: null },
    { id: 'cb', userId: 'b', displayName: 'Ben Ray', signedOffAt: new Date() },
  ]
  const facts = { named, candidates, model: 'AIM3' as const, today: TODAY }
  it('replaces one not yet signed off with a trained person, with a reason', () => {
    expect(checkReplacement({ replace: 'ca', person: 'c', reason: 'Left the service' }, facts)).toEqual({
      ok: true,
      value: { coAssessorId: 'ca', userId: 'c', reason: 'Left the service' },
    })
  })
  it('refuses replacing someone who signed off, an already-named or untrained person, and no reason', () => {
    const r = checkReplacement({ replace: 'cb', person: 'd', reason: ' ' }, facts)
    expect(r.ok ? [] : r.errors.map((e) => e.text)).toEqual([
      'Ben Ray has signed the assessment off and cannot be replaced',
      'Dana Smith has no current AIM3 training (expired on 3 March 2026)',
      'Enter why the co-assessor is being replaced',
    ])
    const again = checkReplacement({ replace: 'ca', person: 'b', reason: 'x' }, facts)
    expect(again.ok ? '' : again.errors[0]!.text).toBe('Ben Ray is already a co-assessor')
  })
})

describe('the decision', () => {
  const facts = { agencyIds: ['csc', 'yos'], policeIds: ['p1'] }
  const base = {
    decision: 'ASSESS',
    reasons: 'Because',
    route: 'WELFARE',
    leadAgency: 'csc',
    administeringAgency: 'csc',
    policeContact: '',
  }
  it('needs reasons either way, and a route to assess', () => {
    const r = checkDecision({ ...base, decision: 'NO_ASSESSMENT', reasons: '  ' }, facts)
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#reasons'])
    const noRoute = checkDecision({ ...base, route: '' }, facts)
    expect(noRoute.ok ? [] : noRoute.errors.map((e) => e.href)).toEqual(['#route'])
  })
  it('takes lead and administering agencies only from the partnership', () => {
    const r = checkDecision({ ...base, leadAgency: 'elsewhere', administeringAgency: '' }, facts)
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#lead-agency', '#administering-agency'])
  })
  it('on the criminal route takes an optional police contact from the list', () => {
    expect(checkDecision({ ...base, route: 'CRIMINAL', policeContact: 'p1' }, facts)).toEqual({
      ok: true,
      value: { decision: 'ASSESS', reasons: 'Because', route: 'CRIMINAL', policeContactId: 'p1' },
    })
    expect(checkDecision({ ...base, route: 'CRIMINAL', policeContact: 'x' }, facts).ok).toBe(false)
  })
})

describe('dates', () => {
  const facts = { decidedOn: '2026-11-01', today: TODAY }
  const interview = (day: string, month = '11') => ({
    held: { day, month, year: '2026' },
    interviewee: 'CHILD',
    detail: '',
    place: 'Home',
    notes: '',
  })
  it('an interview is not in the future and not before the decision', () => {
    expect(checkInterview(interview('23'), facts).ok).toBe(true)
    const future = checkInterview(interview('24'), facts)
    expect(future.ok ? '' : future.errors[0]!.text).toBe('Date of the interview must be today or in the past')
    const early = checkInterview(interview('31', '10'), facts)
    expect(early.ok ? '' : early.errors[0]!.text).toBe('Date of the interview must be on or after the decision to assess (1 November 2026)')
    const unreal = checkInterview(interview('31', '2'), facts)
    expect(unreal.ok ? '' : unreal.errors[0]!.text).toBe('Date of the interview must be a real date')
  })
  it('someone else interviewed needs saying who', () => {
    const r = checkInterview({ ...interview('20'), interviewee: 'OTHER' }, facts)
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#interviewee-detail'])
  })
  it('an extension is later than the current limit, with a reason', () => {
    const f = { currentDueOn: '2026-12-20', today: TODAY }
    expect(checkExtension({ due: { day: '10', month: '1', year: '2027' }, reason: 'Court directions of 20 November' }, f)).toEqual({
      ok: true,
      value: { dueOn: '2027-01-10', reason: 'Court directions of 20 November' },
    })
    const same = checkExtension({ due: { day: '20', month: '12', year: '2026' }, reason: '' }, f)
    expect(same.ok ? [] : same.errors.map((e) => e.text)).toEqual([
      'The new date must be after the current limit (20 December 2026)',
      'Enter the reason for the extension (the court’s directions)',
    ])
  })
})

describe('the record and sign-off', () => {
  const complete: AssessmentRecord = { ...emptyRecord(), formulation: 'F', levelOfConcern: 'MEDIUM', recommendations: 'R' }
  const named = [
    { userId: 'a', signedRecordVersion: null },
    { userId: 'b', signedRecordVersion: null },
  ]
  const facts = { userId: 'a', named, recordVersion: 3, readVersion: 3, record: complete, interviews: 1 }

  it('keeps a draft with blanks, refuses a made-up level, and reads back what it saved', () => {
    const input: RecordInput = {
      domains: emptyRecord().domains,
      formulation: ' F ',
      levelOfConcern: 'HIGH',
      levelOfSupervision: '',
      recommendations: '',
      reportSummary: '',
    }
    const r = checkRecord(input)
    expect(r.ok && r.value.formulation).toBe('F')
    expect(r.ok && readRecord(JSON.parse(JSON.stringify(r.value)) as Record<string, unknown>)).toEqual(r.ok && r.value)
    expect(checkRecord({ ...input, levelOfConcern: 'EXTREME' }).ok).toBe(false)
  })

  it('only a named co-assessor may sign', () => {
    expect(decideSignOff({ ...facts, userId: 'z' })).toMatchObject({ ok: false, status: 403 })
  })

  it('needs the record complete and an interview', () => {
    const r = decideSignOff({ ...facts, record: emptyRecord(), interviews: 0 })
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#formulation', '#level-of-concern', '#recommendations', '#interviews'])
  })

  it('one sign-off does not complete; the same person twice is refused; both complete', () => {
    expect(decideSignOff(facts)).toEqual({ ok: true, completes: false })
    const signedA = [{ userId: 'a', signedRecordVersion: 3 }, named[1]!]
    expect(decideSignOff({ ...facts, named: signedA })).toMatchObject({ ok: false, status: 409 })
    expect(decideSignOff({ ...facts, userId: 'b', named: signedA })).toEqual({ ok: true, completes: true })
  })

  it('a sign-off of an earlier version of the record does not count, and signing a stale page is refused', () => {
    const earlier = [{ userId: 'a', signedRecordVersion: 2 }, named[1]!]
    expect(decideSignOff({ ...facts, userId: 'b', named: earlier })).toEqual({ ok: true, completes: false })
    expect(decideSignOff({ ...facts, readVersion: 2 })).toMatchObject({ ok: false, status: 409 })
  })

  it('cannot sign with only one co-assessor named', () => {
    expect(decideSignOff({ ...facts, named: [named[0]!] })).toMatchObject({ ok: false, status: 409 })
  })
})
