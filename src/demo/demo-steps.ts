import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { nhsCheckDigit, parseNewChild, upnCheckLetter, type LinkKind } from '../features/children/index.js'
import type { Attendance, MinutesTextField, Outcome, StrategyMeetingKind } from '../features/meetings/index.js'
import {
  DEFAULT_TOOL_VERSION,
  parseAllocation,
  parseGreenDecision,
  parseOversight,
  parseRequestForSupport,
  readScreeningForm,
  readShareForm,
  type BehaviourContext,
  type HackettPoint,
  type Rating,
  type SharingBasis,
} from '../features/referrals/index.js'
import { londonParts } from '../platform/forms/dates.js'
import { NOW, whenValuesOf, type WhenInput } from '../platform/forms/when.js'
import type { CurrentUser } from '../platform/auth/current-user.js'
import type { FieldError } from '../platform/forms/forms.js'

/**
 * The steps of the pathway as the demo people take them: each one fills in the same form a
 * person would (parsed by the feature's own form parser) and sends it to the service behind
 * that page, so every step is checked, written as an event and audited as in real use.
 * A step the service refuses stops the seed with the reason: demo data never goes in half-checked.
 */

export const DEMO_REQUEST_ID = 'demo-seed'

/** A valid NHS number in the 999 range kept for testing (never issued to a person), from six digits. */
export function testNhsNumber(sixDigits: string): string {
  const nine = `999${sixDigits}`
  const check = nhsCheckDigit(nine)
  if (check === null) throw new Error(`No valid NHS number starts ${nine}`)
  return `${nine}${check}`
}

/** A valid UPN for local authority 999 (not a real one) and the given establishment, year and serial. */
export function fictionalUpn(establishment: string, year: string, serial: string): string {
  const twelve = `999${establishment}${year}${serial}`
  const letter = upnCheckLetter(twelve)
  if (letter === null) throw new Error(`Not a UPN shape: ${twelve}`)
  return `${letter}${twelve}`
}

/** Why the demo's history is entered after it happened (asked for when it is more than a few days old). */
export const DEMO_LATE_REASON = 'Entered from the paper record when the partnership began using the service.'

/** The "when it happened" fields as a person fills them for a step that happened at `at` (blank: now). */
function whenBody(at?: Date): Record<string, string> {
  return at ? { ...whenValuesOf(at), 'late-reason': DEMO_LATE_REASON } : {}
}

/** When a step of the demo's history happened, as typed on its form; a time still to come is entered as now. */
export function demoWhen(at: Date): WhenInput {
  if (at.getTime() >= Date.now()) return NOW
  const { day, month, year, time } = londonParts(at)
  return { day, month, year, time, lateReason: DEMO_LATE_REASON }
}

function refused(step: string, errors: readonly FieldError[]): never {
  throw new Error(`Demo data: ${step} was refused: ${errors.map((e) => `${e.href} ${e.text}`).join('; ')}`)
}

/** Date input parts (as typed: no leading zeros) of a YYYY-MM-DD date. */
function dateParts(iso: string) {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}

/** A GOV.UK date input's fields for a YYYY-MM-DD date, as a person types them. */
export const dateInputFields = (id: string, iso: string) => dateFields(id, dateParts(iso))

/** A GOV.UK date input's fields as a form sends them: `<id>-day`, `<id>-month`, `<id>-year`. */
function dateFields(id: string, parts: { day: string; month: string; year: string }): Record<string, string> {
  return { [`${id}-day`]: parts.day, [`${id}-month`]: parts.month, [`${id}-year`]: parts.year }
}

export type DemoChild = {
  givenNames: string
  familyName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
  gender: string
  ethnicity: string
  nhsNumber?: string
  upn?: string
  localCaseId?: string
  sendNeeds?: string
}

export type DemoRequest = {
  receivedAt: Date
  whatHappened: string
  contexts: BehaviourContext[]
  otherChildren?: string
  sharingBasis: SharingBasis
  consentSought: boolean
  sharingNote?: string
  openCase?: boolean
}

export type DemoBehaviour = {
  description: string
  date: string | null
  context: BehaviourContext
  hackett: HackettPoint
  rating: Rating
  rationale: string
}

export type DemoMinutes = {
  heldAt: Date
  /** By the invitee's name, or the agency's name for an agency invited as a whole. */
  attendance: Record<string, Attendance>
  text: Record<MinutesTextField, string>
  scores: { name: string; agency: string; score: number }[]
  outcomes: Outcome[]
  actions: { text: string; owner: string; dueOn: string }[]
}

/** Demo people as signed-in users (CurrentUser), found by email through the admin service's list of people. */
export async function demoPeople<K extends string>(
  services: Services,
  partnershipId: string,
  emails: Record<K, string>,
): Promise<Record<K, CurrentUser>> {
  const system = { system: true as const, partnershipId }
  const ids = new Map<string, string>()
  for (let page = 1; ; page++) {
    const { users, total, pageSize } = await services.admin.service.listUsers(system, { page })
    for (const u of users) ids.set(u.email, u.id)
    if (page * pageSize >= total) break
  }
  const people = {} as Record<K, CurrentUser>
  for (const [key, email] of Object.entries(emails) as [K, string][]) {
    const id = ids.get(email)
    const user = id ? await services.auth.currentUser(id) : undefined
    if (!user) throw new Error(`Demo data: no demo user ${email}`)
    people[key] = user
  }
  return people
}

export function demoSteps(services: Services) {
  const [children, referrals, meetings] = [services.children.service, services.referrals.service, services.meetings.service]
  const id = DEMO_REQUEST_ID

  return {
    /**
     * Searches first, as the find-or-create page makes people do, then creates the record. A year
     * of history loaded in seconds does not search: a person entering it over the year would never
     * meet the per-person search limit that the seed, in one minute, would.
     */
    async createChild(user: CurrentUser, child: DemoChild, { searchFirst = true } = {}): Promise<string> {
      const parsed = parseNewChild({
        'given-names': child.givenNames,
        'family-name': child.familyName,
        ...dateFields('date-of-birth', dateParts(child.dateOfBirth)),
        'nhs-number': child.nhsNumber ?? '',
        upn: child.upn ?? '',
        'local-case-id': child.localCaseId ?? '',
        gender: child.gender,
        ethnicity: child.ethnicity,
        'send-needs': child.sendNeeds ?? '',
        'idempotency-key': randomUUID(),
      })
      if (!parsed.ok) refused(`the record for ${child.givenNames} ${child.familyName}`, parsed.errors)
      if (searchFirst) await children.searchChildren(user, parsed.value, id)
      const result = await children.createChild(user, parsed.value, id)
      if (!result.ok) refused(`the record for ${child.givenNames} ${child.familyName}`, result.errors)
      return result.childId
    },

    async raiseRequest(user: CurrentUser, childId: string, r: DemoRequest): Promise<string> {
      await referrals.viewRequestForm(user, childId, id)
      const at = londonParts(r.receivedAt)
      const parsed = parseRequestForSupport({
        ...dateFields('received', at),
        'received-time': at.time,
        'what-happened': r.whatHappened,
        contexts: r.contexts,
        'other-children': r.otherChildren ?? '',
        'sharing-basis': r.sharingBasis,
        'consent-sought': r.consentSought ? 'yes' : 'no',
        'sharing-note': r.sharingNote ?? '',
        'open-case': r.openCase ? 'yes' : 'no',
        'idempotency-key': randomUUID(),
      })
      if (!parsed.ok) refused('a request for support', parsed.errors)
      const result = await referrals.submitRequest(user, childId, parsed, id)
      if (!result.ok) refused('a request for support', result.errors)
      return result.caseId
    },

    async screen(user: CurrentUser, caseId: string, behaviours: DemoBehaviour[], rationale: string, at?: Date): Promise<void> {
      const view = await referrals.viewScreening(user, caseId, id)
      const body: Record<string, string> = {
        ...whenBody(at),
        'tool-version': DEFAULT_TOOL_VERSION,
        rows: String(behaviours.length),
        'overall-rationale': rationale,
        version: String(view.kase.version),
      }
      behaviours.forEach((b, i) => {
        const row = (part: string) => `behaviour-${i + 1}-${part}`
        Object.assign(body, dateFields(row('date'), b.date ? dateParts(b.date) : { day: '', month: '', year: '' }), {
          [row('description')]: b.description,
          [row('context')]: b.context,
          [row('hackett')]: b.hackett,
          [row('rating')]: b.rating,
          [row('rationale')]: b.rationale,
        })
      })
      const result = await referrals.recordScreening(user, caseId, readScreeningForm(body), id)
      if (!result.ok) refused('a screening', result.errors)
    },

    async confirmScreening(user: CurrentUser, caseId: string, note: string, at?: Date): Promise<void> {
      const view = await referrals.viewOversight(user, caseId, id)
      if (!view.data) throw new Error('Demo data: no screening to oversee')
      const parsed = parseOversight({
        outcome: 'CONFIRM',
        note,
        'screening-id': view.data.screening.id,
        version: String(view.kase.version),
        ...whenBody(at),
      })
      const result = await referrals.recordOversight(user, caseId, parsed, id)
      if (!result.ok) refused('management oversight', result.errors)
    },

    /** Shares an update with the case's referrer, through the form the case's page offers. */
    async shareWithReferrer(user: CurrentUser, caseId: string, title: string, body: string): Promise<void> {
      const view = await referrals.viewShared(user, caseId, id)
      const result = await referrals.share(user, caseId, readShareForm({ key: view.key, title, body }), id)
      if (!result.ok) refused('an update for the referrer', result.errors)
    },

    async requestEarlyHelp(user: CurrentUser, caseId: string, professionals: string, at?: Date): Promise<void> {
      const view = await referrals.viewDecision(user, caseId, id)
      const parsed = parseGreenDecision({
        ...whenBody(at),
        decision: 'EARLY_HELP',
        professionals,
        'eha-requested': 'yes',
        version: String(view.kase.version),
      })
      const result = await referrals.recordDecision(user, caseId, parsed, id)
      if (!result.ok) refused('the green decision', result.errors)
    },

    async allocate(
      user: CurrentUser,
      caseId: string,
      teamName: string,
      workerName: string,
      interimMeasures: string,
      at?: Date,
    ): Promise<void> {
      const view = await referrals.viewAllocation(user, caseId, id)
      const team = view.data?.teams.find((t) => t.name === teamName)
      const worker = view.data?.workers.find((w) => w.displayName === workerName && w.teamId === team?.id)
      const parsed = parseAllocation({
        team: team?.id ?? '',
        worker: worker?.id ?? '',
        'interim-measures': interimMeasures,
        version: String(view.kase.version),
        ...whenBody(at),
      })
      const result = await referrals.allocate(user, caseId, parsed, id)
      if (!result.ok) refused('allocation', result.errors)
    },

    async arrangeStrategyMeeting(
      chair: CurrentUser,
      caseId: string,
      m: { kind: StrategyMeetingKind; at: Date; agencies: string[]; people: string[] },
    ): Promise<void> {
      const options = await meetings.arrangeForm(chair, caseId, id)
      const at = londonParts(m.at)
      const result = await meetings.arrange(
        chair,
        caseId,
        {
          key: randomUUID(),
          input: {
            kind: m.kind,
            date: { day: at.day, month: at.month, year: at.year },
            time: at.time,
            chair: chair.id,
            agencies: m.agencies.map((name) => options.agencies.find((a) => a.name === name)?.id ?? name),
            people: m.people.map((name) => options.people.find((p) => p.displayName === name)?.id ?? name),
          },
        },
        id,
      )
      if (!result.ok) refused('arranging a strategy meeting', result.errors)
    },

    /** Saves the minutes as a draft, then (from the page as it is after the save) finalises them. */
    async recordMinutes(chair: CurrentUser, caseId: string, m: DemoMinutes): Promise<void> {
      const page = await meetings.viewMeeting(chair, caseId, id)
      const held = londonParts(m.heldAt)
      const attendance: Record<string, string> = {}
      for (const inv of page.invitations) attendance[inv.id] = m.attendance[inv.userName ?? inv.agencyName] ?? ''
      const input = {
        held: { day: held.day, month: held.month, year: held.year, time: held.time },
        attendance,
        text: m.text,
        scores: m.scores.map((s) => ({ name: s.name, agency: s.agency, score: String(s.score) })),
        outcomes: m.outcomes,
        actions: m.actions.map((a) => ({
          text: a.text,
          owner: page.owners.find((o) => o.displayName === a.owner)?.id ?? a.owner,
          ownerText: '',
          due: dateParts(a.dueOn),
        })),
      }
      const saved = await meetings.saveMinutes(chair, caseId, { input, version: page.meeting.version, key: randomUUID() }, id)
      if (!saved.ok) refused('saving the minutes', saved.errors)
      const after = await meetings.viewMeeting(chair, caseId, id)
      const finalised = await meetings.finalise(chair, caseId, { input, version: after.meeting.version, key: randomUUID() }, id)
      if (!finalised.ok) refused('finalising the minutes', finalised.errors)
    },

    /** Finds the other child through the link page's search, then links them. */
    async link(user: CurrentUser, childId: string, kind: LinkKind, other: { id: string } & DemoChild): Promise<void> {
      const query = {
        givenNames: other.givenNames,
        familyName: other.familyName,
        dateOfBirth: other.dateOfBirth,
        nhsNumber: null,
        upn: null,
        localCaseId: null,
      }
      const found = await children.findLinkCandidates(user, childId, { ok: true, value: { kind, query } }, id)
      const match = found.matches?.find((c) => c.id === other.id)
      const result = await children.linkChildren(user, childId, { kind, query, linkedChildId: match?.id ?? null }, id)
      if (!result.ok) refused(`linking ${other.givenNames} ${other.familyName}`, result.errors ?? [])
    },
  }
}
export type DemoSteps = ReturnType<typeof demoSteps>

/** A date of birth that keeps the child the same age whenever the demo is loaded (day capped at 28). */
export function yearsAndMonthsBefore(today: string, years: number, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) - years * 12 - months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`
}
