import type { FieldError } from '../../platform/forms/forms.js'
import { dateFrom, isDate, MAX_TEXT, parseSeed, type ConsentInput, type RecommendationInput, type Result, type SummaryInput } from './case-audits.rules.js'
import type { CohortFilter } from './case-audits.tables.js'

/** Reads the urlencoded forms of the case audit pages into typed inputs (all pure). */

type Body = Record<string, unknown>
const str = (b: Body, k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '')
const list = (b: Body, k: string) => {
  const v = b[k]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []
}
const body = (raw: unknown): Body => (raw && typeof raw === 'object' ? (raw as Body) : {})
export const dateField = (b: Body, prefix: string) => dateFrom(str(b, `${prefix}-day`), str(b, `${prefix}-month`), str(b, `${prefix}-year`))

export type AgencyChoice = { agencyId: string; participation: 'TAKING_PART' | 'UNABLE'; leadAuditorId: string | null; reason: string | null }
export type SetupValue = { theme: string; panelDate: string; toolId: string; purpose: string | null; agencies: AgencyChoice[]; sampleIds: string[] }
export type SetupContext = {
  agencies: { id: string; name: string }[]
  auditors: { id: string; displayName: string; agencyId: string }[]
  toolIds: string[]
  /** For a deep dive: the consented cases of the first audit it may look at. */
  sampleIds?: string[]
}

/**
 * Set-up of an audit (or a deep dive): theme, panel date, tool, and for each agency whether it is
 * taking part (with a lead auditor from that agency) or unable to (with the reason).
 */
export function readSetup(raw: unknown, ctx: SetupContext): Result<SetupValue> {
  const b = body(raw)
  const errors: FieldError[] = []
  const theme = str(b, 'theme').trim()
  if (!theme) errors.push({ href: '#theme', text: 'Enter the theme of the audit' })
  else if (theme.length > 200) errors.push({ href: '#theme', text: 'The theme must be 200 characters or fewer' })
  const panelDate = dateField(b, 'panel-date')
  if (!isDate(panelDate)) errors.push({ href: '#panel-date-day', text: 'Enter the date of the panel, for example 20 2 2026' })
  const toolId = str(b, 'tool')
  if (!ctx.toolIds.includes(toolId)) errors.push({ href: '#tool', text: 'Select the audit tool to use' })
  const purpose = str(b, 'purpose').trim()
  if (purpose.length > MAX_TEXT) errors.push({ href: '#purpose', text: `The purpose must be ${MAX_TEXT} characters or fewer` })
  const agencies: AgencyChoice[] = []
  for (const agency of ctx.agencies) {
    const p = str(b, `agency-${agency.id}`)
    const auditorId = str(b, `auditor-${agency.id}`)
    const reason = str(b, `reason-${agency.id}`).trim()
    if (p === 'TAKING_PART') {
      const auditor = ctx.auditors.find((a) => a.id === auditorId)
      if (!auditor) errors.push({ href: `#auditor-${agency.id}`, text: `Select the lead auditor for ${agency.name}` })
      else if (auditor.agencyId !== agency.id) errors.push({ href: `#auditor-${agency.id}`, text: `${auditor.displayName} is not from ${agency.name}. The lead auditor must be from the agency taking part` })
      else agencies.push({ agencyId: agency.id, participation: 'TAKING_PART', leadAuditorId: auditor.id, reason: null })
    } else if (p === 'UNABLE') {
      if (!reason) errors.push({ href: `#reason-${agency.id}`, text: `Enter why ${agency.name} is unable to take part` })
      else if (reason.length > 500) errors.push({ href: `#reason-${agency.id}`, text: 'The reason must be 500 characters or fewer' })
      else if (auditorId) errors.push({ href: `#auditor-${agency.id}`, text: `${agency.name} is not taking part, so it cannot have a lead auditor. Clear the lead auditor or select “taking part”` })
      else agencies.push({ agencyId: agency.id, participation: 'UNABLE', leadAuditorId: null, reason })
    } else if (auditorId) {
      errors.push({ href: `#auditor-${agency.id}`, text: `${agency.name} is not taking part, so it cannot have a lead auditor. Select “taking part” or clear the lead auditor` })
    }
  }
  if (!errors.length && !agencies.some((a) => a.participation === 'TAKING_PART')) errors.push({ href: `#agency-${ctx.agencies[0]?.id ?? ''}`, text: 'Select at least one agency taking part, with its lead auditor' })
  let sampleIds: string[] = []
  if (ctx.sampleIds) {
    sampleIds = list(b, 'cases').filter((id) => ctx.sampleIds!.includes(id))
    if (!sampleIds.length) errors.push({ href: '#cases', text: 'Select the cases the deep dive looks at' })
  }
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { theme, panelDate, toolId, purpose: purpose || null, agencies, sampleIds } }
}

export type CohortInput = { filter: CohortFilter; size: string; seed: string; draw: boolean }
export function readCohort(raw: unknown, agencyIds: string[], statuses: string[]): Result<CohortInput & { seedValue: number | null; sizeValue: number }> {
  const b = body(raw)
  const errors: FieldError[] = []
  const openOn = dateField(b, 'open-on')
  if (!isDate(openOn)) errors.push({ href: '#open-on-day', text: 'Enter the date the cases were open on, for example 1 2 2026' })
  const ratings = list(b, 'ratings').filter((r) => ['GREEN', 'AMBER', 'RED'].includes(r))
  const chosen = list(b, 'statuses').filter((s) => statuses.includes(s))
  const agency = str(b, 'agency')
  if (agency && !agencyIds.includes(agency)) errors.push({ href: '#agency', text: 'Select an agency from the list' })
  const sizeText = str(b, 'sample-size').trim()
  const draw = str(b, 'action') === 'draw'
  const sizeValue = /^\d{1,4}$/.test(sizeText) ? Number(sizeText) : NaN
  if (draw && !Number.isInteger(sizeValue)) errors.push({ href: '#sample-size', text: 'Enter the number of cases to select, a whole number' })
  const seed = parseSeed(str(b, 'seed'))
  if (!seed.ok) errors.push(...seed.errors)
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { filter: { openOn, ratings, statuses: chosen, agencyId: agency || null }, size: sizeText, seed: str(b, 'seed'), draw, seedValue: seed.ok ? seed.value : null, sizeValue },
  }
}

export function readConsent(raw: unknown): ConsentInput {
  const b = body(raw)
  return { state: str(b, 'state'), by: str(b, 'by'), on: dateField(b, 'on'), how: str(b, 'how'), replace: str(b, 'replace') === 'yes' }
}

export function readSummary(raw: unknown, codes: string[], sections: number): SummaryInput {
  const b = body(raw)
  const grades: Record<string, string> = {}
  for (const c of codes) grades[c] = str(b, `grade-${c}`)
  const notes: Record<string, string> = {}
  for (let i = 0; i < sections; i++) notes[String(i)] = str(b, `note-${i}`)
  return { grades, notes, overall: str(b, 'overall'), summary: str(b, 'summary'), feedbackGiven: str(b, 'feedback-given'), feedback: str(b, 'feedback') }
}

export function readFinding(raw: unknown) {
  const b = body(raw)
  return { kind: str(b, 'finding-kind'), text: str(b, 'finding-text'), tags: str(b, 'finding-tags') }
}

export function readRecommendation(raw: unknown): RecommendationInput {
  const b = body(raw)
  return { text: str(b, 'recommendation-text'), owner: str(b, 'recommendation-owner'), ownerText: str(b, 'recommendation-owner-text'), due: dateField(b, 'recommendation-due') }
}

export function readPanel(raw: unknown): { discussed: string[]; notes: string } {
  const b = body(raw)
  return { discussed: list(b, 'discussed'), notes: str(b, 'panel-notes') }
}

export function readTool(raw: unknown) {
  const b = body(raw)
  return { name: str(b, 'name'), format: str(b, 'format'), definition: str(b, 'definition'), scale: str(b, 'scale'), freeText: str(b, 'free-text') !== 'no' }
}
