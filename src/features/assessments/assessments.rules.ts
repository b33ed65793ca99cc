import type { WhenInput } from '../../platform/forms/when.js'
import { addCalendarDays, calendarDaysBetween, type IsoDate } from '../../platform/clocks/london-time.js'
import { checkDate, readDate, type DateParts } from '../../platform/forms/dates.js'
import { fieldError, type FieldError, type FormResult, text } from '../../platform/forms/forms.js'
import { formatDate } from '../../platform/http/format.js'
import { rolesFor } from '../cases/index.js'

/**
 * The AIM assessment's rules: the decision and its route, who may be a co-assessor (a current
 * training record for the model), what is recorded, and when it can be signed off. Pure: no
 * I/O; "today" (a UK calendar date, YYYY-MM-DD) and the facts are passed in. The domain names
 * and levels are our own neutral words, not the licensed AIM wording.
 */

export const MODELS = { AIM2: 'AIM2', AIM3: 'AIM3', AIM_UNDER_12S: 'AIM Under 12s' } as const
export type Model = keyof typeof MODELS
export const isModel = (v: string): v is Model => Object.hasOwn(MODELS, v)

export const ROUTES = {
  WELFARE: 'Welfare: children’s services lead and do the administration',
  CRIMINAL:
    'Criminal: police contact children’s services and the youth offending service for an AIM strategy discussion; the youth offending service leads',
} as const
export type AssessmentRouteName = keyof typeof ROUTES

export const INTERVIEWEES = { CHILD: 'The child', PARENT_CARER: 'Parent or carer', OTHER: 'Someone else' } as const
export type Interviewee = keyof typeof INTERVIEWEES

export const DOMAINS = {
  sexualBehaviour: 'Sexual behaviour',
  nonSexualBehaviour: 'Non-sexual behaviour',
  developmental: 'Developmental',
  environmental: 'Environmental',
  family: 'Family',
  selfRegulation: 'Self-regulation',
} as const
export type Domain = keyof typeof DOMAINS
export const DOMAIN_KEYS = Object.keys(DOMAINS) as Domain[]

export const LEVELS = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' } as const
export type Level = keyof typeof LEVELS
const isLevel = (v: string): v is Level => Object.hasOwn(LEVELS, v)

export const MAX_TEXT = 6000
const MAX_SHORT = 200

const tooLong = (v: string, max = MAX_TEXT) => v.length > max

/** Dates in the assessment are this century: a year before 2000 is a typing mistake. */
const DATES = { minYear: 2000 } as const

/** A required date, not in the future and (when given) not before another date. */
function pastDate(
  parts: DateParts,
  id: string,
  label: string,
  today: IsoDate,
  notBefore?: { date: IsoDate; what: string },
): { value: IsoDate | null; error: FieldError | null } {
  const checked = readDate(parts, id, label, { ...DATES, required: true })
  if (checked.error || !checked.value) return checked
  if (checked.value > today) return { value: null, error: fieldError(`${id}-day`, `${label} must be today or in the past`) }
  if (notBefore && checked.value < notBefore.date)
    return { value: null, error: fieldError(`${id}-day`, `${label} must be on or after ${notBefore.what} (${formatDate(notBefore.date)})`) }
  return { value: checked.value, error: null }
}

/** The model by the child's age today: under 12 → AIM Under 12s, otherwise AIM3. */
export function defaultModel(dateOfBirth: IsoDate, today: IsoDate): Model {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
  return age < 12 ? 'AIM_UNDER_12S' : 'AIM3'
}

export type TrainingRecord = { model: string; completedOn: IsoDate; expiresOn: IsoDate | null }

/** Current: completed on or before today and not yet expired (a record expires on its expiry date). */
export const isCurrent = (t: TrainingRecord, today: IsoDate) => t.completedOn <= today && (t.expiresOn === null || t.expiresOn > today)

/** Whether a person holds current training for a model; if not, the message that names what is missing. */
export function trainingCheck(
  name: string,
  training: readonly TrainingRecord[],
  model: Model,
  today: IsoDate,
): { current: true; expiresOn: IsoDate | null } | { current: false; message: string } {
  const forModel = training.filter((t) => t.model === model)
  const current = forModel.filter((t) => isCurrent(t, today))
  if (current.length) {
    const open = current.some((t) => t.expiresOn === null)
    return {
      current: true,
      expiresOn: open
        ? null
        : current
            .map((t) => t.expiresOn!)
            .sort()
            .at(-1)!,
    }
  }
  const expired = forModel
    .filter((t) => t.expiresOn !== null && t.expiresOn <= today)
    .map((t) => t.expiresOn!)
    .sort()
  const label = MODELS[model]
  if (expired.length)
    return { current: false, message: `${name} has no current ${label} training (expired on ${formatDate(expired.at(-1)!)})` }
  return { current: false, message: `${name} has no current ${label} training (none recorded)` }
}

export type Candidate = { id: string; displayName: string; roles: readonly string[]; training: readonly TrainingRecord[] }

/** One person as a co-assessor: a role that can do the work, and current training for the model. */
export function checkCoAssessor(person: Candidate, model: Model, today: IsoDate): string | null {
  if (!rolesFor('RECORD_ASSESSMENT_WORK').some((r) => person.roles.includes(r)))
    return `${person.displayName} cannot be a co-assessor: their role cannot carry out an AIM assessment`
  const training = trainingCheck(person.displayName, person.training, model, today)
  return training.current ? null : training.message
}

export type CoAssessorsInput = { selected: string[]; model: string }

/** Exactly two different people, each able to assess with current training for the model. */
export function checkCoAssessors(
  input: CoAssessorsInput,
  facts: { candidates: readonly Candidate[]; today: IsoDate; alreadyNamed: number },
): FormResult<{ userIds: [string, string]; model: Model }> {
  const errors: FieldError[] = []
  if (facts.alreadyNamed >= 2)
    return {
      ok: false,
      errors: [
        { href: '#co-assessors', text: 'This assessment already has two co-assessors. Replace one of them instead of naming a third.' },
      ],
    }
  if (!isModel(input.model)) errors.push({ href: '#model', text: 'Select the assessment model' })
  const ids = [...new Set(input.selected)]
  if (ids.length !== input.selected.length) errors.push({ href: '#co-assessors', text: 'Select two different people' })
  else if (ids.length !== 2)
    errors.push({
      href: '#co-assessors',
      text:
        ids.length > 2
          ? `Select exactly two co-assessors: you selected ${ids.length}. An assessment has two co-assessors, not more.`
          : 'Select exactly two co-assessors',
    })
  const people = ids.map((id) => facts.candidates.find((c) => c.id === id))
  if (people.some((p) => !p)) errors.push({ href: '#co-assessors', text: 'Select co-assessors from the list' })
  if (!errors.length && isModel(input.model)) {
    for (const p of people) {
      const problem = checkCoAssessor(p!, input.model, facts.today)
      if (problem) errors.push({ href: '#co-assessors', text: problem })
    }
  }
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { userIds: [ids[0]!, ids[1]!], model: input.model as Model } }
}

export type ReplaceInput = { replace: string; person: string; reason: string }
export type NamedCoAssessor = { id: string; userId: string; displayName: string; signedOffAt: Date | null }

/** Replacing one named co-assessor (who has not signed off) with another trained person who is not already named. */
export function checkReplacement(
  input: ReplaceInput,
  facts: { named: readonly NamedCoAssessor[]; candidates: readonly Candidate[]; model: Model; today: IsoDate },
): FormResult<{ coAssessorId: string; userId: string; reason: string }> {
  const errors: FieldError[] = []
  const old = facts.named.find((n) => n.id === input.replace)
  if (!old) errors.push({ href: '#replace', text: 'Select the co-assessor to replace' })
  else if (old.signedOffAt)
    errors.push({ href: '#replace', text: `${old.displayName} has signed the assessment off and cannot be replaced` })
  const person = facts.candidates.find((c) => c.id === input.person)
  if (!person) errors.push({ href: '#person', text: 'Select the new co-assessor' })
  else if (facts.named.some((n) => n.userId === person.id))
    errors.push({ href: '#person', text: `${person.displayName} is already a co-assessor` })
  else {
    const problem = checkCoAssessor(person, facts.model, facts.today)
    if (problem) errors.push({ href: '#person', text: problem })
  }
  const reason = input.reason.trim()
  if (!reason) errors.push({ href: '#reason', text: 'Enter why the co-assessor is being replaced' })
  else if (tooLong(reason, MAX_SHORT * 5)) errors.push({ href: '#reason', text: 'The reason must be 1000 characters or fewer' })
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { coAssessorId: old!.id, userId: person!.id, reason } }
}

export type DecisionInput = {
  decision: string
  reasons: string
  route: string
  leadAgency: string
  administeringAgency: string
  policeContact: string
  /** When the decision was made, as typed (the kernel checks it); absent is now. */
  when?: WhenInput
}
export type Decision =
  | { decision: 'NO_ASSESSMENT'; reasons: string }
  | { decision: 'ASSESS'; reasons: string; route: 'WELFARE'; leadAgencyId: string; administeringAgencyId: string }
  | { decision: 'ASSESS'; reasons: string; route: 'CRIMINAL'; policeContactId: string | null }

/** Assess or not, with reasons; the route; on the welfare route the lead and administering agencies. */
export function checkDecision(
  input: DecisionInput,
  facts: { agencyIds: readonly string[]; policeIds: readonly string[] },
): FormResult<Decision> {
  const errors: FieldError[] = []
  const reasons = input.reasons.trim()
  if (input.decision !== 'ASSESS' && input.decision !== 'NO_ASSESSMENT')
    errors.push({ href: '#decision', text: 'Select whether to carry out an AIM assessment' })
  if (!reasons) errors.push({ href: '#reasons', text: 'Enter the reasons for the decision' })
  else if (tooLong(reasons)) errors.push({ href: '#reasons', text: `The reasons must be ${MAX_TEXT} characters or fewer` })
  if (input.decision === 'ASSESS') {
    if (input.route !== 'WELFARE' && input.route !== 'CRIMINAL')
      errors.push({ href: '#route', text: 'Select the route: welfare or criminal' })
    if (input.route === 'WELFARE') {
      if (!facts.agencyIds.includes(input.leadAgency)) errors.push({ href: '#lead-agency', text: 'Select the lead agency' })
      if (!facts.agencyIds.includes(input.administeringAgency))
        errors.push({ href: '#administering-agency', text: 'Select the agency that administers the case' })
    }
    if (input.route === 'CRIMINAL' && input.policeContact && !facts.policeIds.includes(input.policeContact))
      errors.push({ href: '#police-contact', text: 'Select a police officer from the list' })
  }
  if (errors.length) return { ok: false, errors }
  if (input.decision === 'NO_ASSESSMENT') return { ok: true, value: { decision: 'NO_ASSESSMENT', reasons } }
  if (input.route === 'WELFARE')
    return {
      ok: true,
      value: {
        decision: 'ASSESS',
        reasons,
        route: 'WELFARE',
        leadAgencyId: input.leadAgency,
        administeringAgencyId: input.administeringAgency,
      },
    }
  return { ok: true, value: { decision: 'ASSESS', reasons, route: 'CRIMINAL', policeContactId: input.policeContact || null } }
}

export type DiscussionInput = { held: DateParts; agencies: string[]; leadAgency: string; administeringAgency: string; notes: string }
export type Discussion = { heldOn: IsoDate; agencyIds: string[]; leadAgencyId: string; administeringAgencyId: string; notes: string }

/** The AIM strategy discussion: when, which agencies took part, who leads and who administers. */
export function checkDiscussion(
  input: DiscussionInput,
  facts: { agencyIds: readonly string[]; decidedOn: IsoDate; today: IsoDate },
): FormResult<Discussion> {
  const errors: FieldError[] = []
  const held = pastDate(input.held, 'held', 'Date of the discussion', facts.today, {
    date: facts.decidedOn,
    what: 'the decision to assess',
  })
  if (held.error) errors.push(held.error)
  const agencies = [...new Set(input.agencies)]
  if (agencies.length < 2) errors.push({ href: '#agencies', text: 'Select the agencies that took part (at least two)' })
  else if (agencies.some((a) => !facts.agencyIds.includes(a))) errors.push({ href: '#agencies', text: 'Select agencies from the list' })
  if (!facts.agencyIds.includes(input.leadAgency)) errors.push({ href: '#lead-agency', text: 'Select the lead agency' })
  if (!facts.agencyIds.includes(input.administeringAgency))
    errors.push({ href: '#administering-agency', text: 'Select the agency that administers the case' })
  const notes = input.notes.trim()
  if (!notes) errors.push({ href: '#notes', text: 'Enter what was agreed' })
  else if (tooLong(notes)) errors.push({ href: '#notes', text: `What was agreed must be ${MAX_TEXT} characters or fewer` })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: {
      heldOn: held.value!,
      agencyIds: agencies,
      leadAgencyId: input.leadAgency,
      administeringAgencyId: input.administeringAgency,
      notes,
    },
  }
}

export type InterviewInput = { held: DateParts; interviewee: string; detail: string; place: string; notes: string }
export type Interview = { heldOn: IsoDate; interviewee: Interviewee; detail: string | null; place: string; notes: string | null }

/** An interview: the date (not in the future, not before the decision), who, where. */
export function checkInterview(input: InterviewInput, facts: { decidedOn: IsoDate; today: IsoDate }): FormResult<Interview> {
  const errors: FieldError[] = []
  const held = pastDate(input.held, 'interview-held', 'Date of the interview', facts.today, {
    date: facts.decidedOn,
    what: 'the decision to assess',
  })
  if (held.error) errors.push(held.error)
  if (!Object.hasOwn(INTERVIEWEES, input.interviewee)) errors.push({ href: '#interviewee', text: 'Select who was interviewed' })
  const detail = input.detail.trim()
  if (input.interviewee === 'OTHER' && !detail)
    errors.push({ href: '#interviewee-detail', text: 'Enter who else was interviewed (their role, not their name)' })
  else if (tooLong(detail, MAX_SHORT))
    errors.push({ href: '#interviewee-detail', text: `Who was interviewed must be ${MAX_SHORT} characters or fewer` })
  const place = input.place.trim()
  if (!place) errors.push({ href: '#place', text: 'Enter where the interview took place' })
  else if (tooLong(place, MAX_SHORT)) errors.push({ href: '#place', text: `Where must be ${MAX_SHORT} characters or fewer` })
  const notes = input.notes.trim()
  if (tooLong(notes)) errors.push({ href: '#interview-notes', text: `Notes must be ${MAX_TEXT} characters or fewer` })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { heldOn: held.value!, interviewee: input.interviewee as Interviewee, detail: detail || null, place, notes: notes || null },
  }
}

export type InformationInput = { sourceAgency: string; source: string; summary: string; dated: DateParts }
export type Information = { sourceAgencyId: string | null; source: string; summary: string; datedOn: IsoDate }

/** Information collated: where it came from (an agency and a record), a summary, its date. */
export function checkInformation(
  input: InformationInput,
  facts: { agencyIds: readonly string[]; today: IsoDate },
): FormResult<Information> {
  const errors: FieldError[] = []
  if (input.sourceAgency && !facts.agencyIds.includes(input.sourceAgency))
    errors.push({ href: '#source-agency', text: 'Select an agency from the list' })
  const source = input.source.trim()
  if (!source) errors.push({ href: '#source', text: 'Enter the record or source the information came from' })
  else if (tooLong(source, MAX_SHORT)) errors.push({ href: '#source', text: `The source must be ${MAX_SHORT} characters or fewer` })
  const summary = input.summary.trim()
  if (!summary) errors.push({ href: '#summary', text: 'Enter a summary of the information' })
  else if (tooLong(summary)) errors.push({ href: '#summary', text: `The summary must be ${MAX_TEXT} characters or fewer` })
  const dated = pastDate(input.dated, 'dated', 'Date of the information', facts.today)
  if (dated.error) errors.push(dated.error)
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { sourceAgencyId: input.sourceAgency || null, source, summary, datedOn: dated.value! } }
}

export type ExtensionInput = { due: DateParts; reason: string }

/** Court directions: a new limit later than the current one, with the reason. */
export function checkExtension(
  input: ExtensionInput,
  facts: { currentDueOn: IsoDate; today: IsoDate },
): FormResult<{ dueOn: IsoDate; reason: string }> {
  const errors: FieldError[] = []
  const checked = checkDate(input.due, 'The new date', DATES)
  if (!checked.ok) errors.push({ href: '#due-day', text: checked.message })
  else if (!checked.value) errors.push({ href: '#due-day', text: 'Enter the new date the assessment must be completed by' })
  else if (checked.value <= facts.currentDueOn)
    errors.push({ href: '#due-day', text: `The new date must be after the current limit (${formatDate(facts.currentDueOn)})` })
  else if (calendarDaysBetween(facts.today, checked.value) > 366)
    errors.push({ href: '#due-day', text: `The new date must be within a year (by ${formatDate(addCalendarDays(facts.today, 366))})` })
  const reason = input.reason.trim()
  if (!reason) errors.push({ href: '#extension-reason', text: 'Enter the reason for the extension (the court’s directions)' })
  else if (tooLong(reason)) errors.push({ href: '#extension-reason', text: `The reason must be ${MAX_TEXT} characters or fewer` })
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { dueOn: (checked as { value: IsoDate }).value, reason } }
}

// ---------------------------------------------------------------------------------------------
// The structured record
// ---------------------------------------------------------------------------------------------

export type AssessmentRecord = {
  domains: Record<Domain, { concerns: string; strengths: string }>
  formulation: string
  levelOfConcern: Level | null
  levelOfSupervision: Level | null
  recommendations: string
  reportSummary: string
}

/** The record as typed: every value a string. */
export type RecordInput = {
  domains: Record<Domain, { concerns: string; strengths: string }>
  formulation: string
  levelOfConcern: string
  levelOfSupervision: string
  recommendations: string
  reportSummary: string
}

export const emptyRecord = (): AssessmentRecord => ({
  domains: Object.fromEntries(DOMAIN_KEYS.map((d) => [d, { concerns: '', strengths: '' }])) as AssessmentRecord['domains'],
  formulation: '',
  levelOfConcern: null,
  levelOfSupervision: null,
  recommendations: '',
  reportSummary: '',
})

/** What the jsonb column holds, read defensively into the record's shape. */
export function readRecord(raw: Record<string, unknown>): AssessmentRecord {
  const record = emptyRecord()
  const str = text
  const domains = (raw.domains ?? {}) as Record<string, Record<string, unknown>>
  for (const d of DOMAIN_KEYS) record.domains[d] = { concerns: str(domains[d]?.concerns), strengths: str(domains[d]?.strengths) }
  record.formulation = str(raw.formulation)
  record.recommendations = str(raw.recommendations)
  record.reportSummary = str(raw.reportSummary)
  record.levelOfConcern = isLevel(str(raw.levelOfConcern)) ? (str(raw.levelOfConcern) as Level) : null
  record.levelOfSupervision = isLevel(str(raw.levelOfSupervision)) ? (str(raw.levelOfSupervision) as Level) : null
  return record
}

/** A draft: anything may be blank, but what is given must be valid and not too long. */
export function checkRecord(input: RecordInput): FormResult<AssessmentRecord> {
  const errors: FieldError[] = []
  const long = (id: string, label: string, v: string) =>
    tooLong(v) && errors.push({ href: `#${id}`, text: `${label} must be ${MAX_TEXT} characters or fewer` })
  for (const d of DOMAIN_KEYS) {
    long(`${d}-concerns`, `${DOMAINS[d]}: concerns`, input.domains[d].concerns)
    long(`${d}-strengths`, `${DOMAINS[d]}: strengths`, input.domains[d].strengths)
  }
  long('formulation', 'The formulation', input.formulation)
  if (input.levelOfConcern && !isLevel(input.levelOfConcern)) errors.push({ href: '#level-of-concern', text: 'Select a level of concern' })
  if (input.levelOfSupervision && !isLevel(input.levelOfSupervision))
    errors.push({ href: '#level-of-supervision', text: 'Select a level of supervision' })
  long('recommendations', 'The recommendations', input.recommendations)
  long('report-summary', 'The report summary', input.reportSummary)
  if (errors.length) return { ok: false, errors }
  const trim = (s: string) => s.trim()
  return {
    ok: true,
    value: {
      domains: Object.fromEntries(
        DOMAIN_KEYS.map((d) => [d, { concerns: trim(input.domains[d].concerns), strengths: trim(input.domains[d].strengths) }]),
      ) as AssessmentRecord['domains'],
      formulation: trim(input.formulation),
      levelOfConcern: (input.levelOfConcern || null) as Level | null,
      levelOfSupervision: (input.levelOfSupervision || null) as Level | null,
      recommendations: trim(input.recommendations),
      reportSummary: trim(input.reportSummary),
    },
  }
}

/** What the record still needs before it can be signed off. */
export function missingForSignOff(record: AssessmentRecord, interviews: number): FieldError[] {
  const errors: FieldError[] = []
  if (!record.formulation) errors.push({ href: '#formulation', text: 'Write the formulation before signing off' })
  if (!record.levelOfConcern) errors.push({ href: '#level-of-concern', text: 'Record the level of concern before signing off' })
  if (!record.recommendations) errors.push({ href: '#recommendations', text: 'Write the recommendations before signing off' })
  if (interviews < 1) errors.push({ href: '#interviews', text: 'Record at least one interview before signing off' })
  return errors
}

export type SignOffFacts = {
  userId: string
  /** The current co-assessors (not replaced), with the record version each signed, if any. */
  named: readonly { userId: string; signedRecordVersion: number | null }[]
  recordVersion: number
  /** The record version the person read before signing. */
  readVersion: number | null
  record: AssessmentRecord
  interviews: number
}

export type SignOffDecision = { ok: true; completes: boolean } | { ok: false; status: 403 | 409 | 400; errors: FieldError[] }

/**
 * Sign-off: only a named co-assessor; the record they read is the one saved now; not twice for
 * the same record; the record complete and at least one interview. The assessment completes
 * when both named co-assessors have signed the same (current) record.
 */
export function decideSignOff(f: SignOffFacts): SignOffDecision {
  const me = f.named.find((n) => n.userId === f.userId)
  if (!me) return { ok: false, status: 403, errors: [{ href: '#sign-off', text: 'Only a named co-assessor can sign the assessment off' }] }
  if (f.named.length < 2)
    return {
      ok: false,
      status: 409,
      errors: [{ href: '#sign-off', text: 'Two co-assessors must be named before the assessment can be signed off' }],
    }
  if (f.readVersion !== f.recordVersion)
    return {
      ok: false,
      status: 409,
      errors: [{ href: '#sign-off', text: 'The record has changed since you opened it. Read what is saved now, then sign off.' }],
    }
  if (me.signedRecordVersion === f.recordVersion)
    return {
      ok: false,
      status: 409,
      errors: [{ href: '#sign-off', text: 'You have already signed this record off. The other co-assessor must sign it off too.' }],
    }
  const missing = missingForSignOff(f.record, f.interviews)
  if (missing.length) return { ok: false, status: 400, errors: missing }
  const others = f.named.filter((n) => n.userId !== f.userId)
  return { ok: true, completes: others.every((o) => o.signedRecordVersion === f.recordVersion) }
}
