import { checkDate, datePartsOf } from '../../platform/forms/dates.js'
import { field, fields, readText, resultOf, type FieldError } from '../../platform/forms/forms.js'
import { whenOf, type WhenInput } from '../../platform/forms/when.js'
import { MAX_TEXT, parseSeed, type ConsentInput, type RecommendationInput, type Result, type SummaryInput } from './case-audits.rules.js'
import type { CohortFilter } from './case-audits.tables.js'

/** Reads the urlencoded forms of the case audit pages into typed inputs (all pure), with the platform's forms kit. */

/** A date input as YYYY-MM-DD, or '' when it is blank or not a real date (the rules say which date is needed). */
export function dateField(body: unknown, id: string): string {
  const date = checkDate(datePartsOf(body, id), 'The date')
  return date.ok ? (date.value ?? '') : ''
}

export type AgencyChoice = {
  agencyId: string
  participation: 'TAKING_PART' | 'UNABLE'
  leadAuditorId: string | null
  reason: string | null
}
export type SetupValue = {
  theme: string
  panelDate: string
  toolId: string
  purpose: string | null
  agencies: AgencyChoice[]
  sampleIds: string[]
}
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
export function readSetup(b: unknown, ctx: SetupContext): Result<SetupValue> {
  const errors: FieldError[] = []
  const theme = readText(b, 'theme', { label: 'The theme', required: 'Enter the theme of the audit', max: 200 })
  if (theme.error) errors.push(theme.error)
  const panelDate = dateField(b, 'panel-date')
  if (!panelDate) errors.push({ href: '#panel-date-day', text: 'Enter the date of the panel, for example 20 2 2026' })
  const toolId = field(b, 'tool')
  if (!ctx.toolIds.includes(toolId)) errors.push({ href: '#tool', text: 'Select the audit tool to use' })
  const purpose = readText(b, 'purpose', { label: 'The purpose', max: MAX_TEXT })
  if (purpose.error) errors.push(purpose.error)
  const agencies: AgencyChoice[] = []
  for (const agency of ctx.agencies) {
    const p = field(b, `agency-${agency.id}`)
    const auditorId = field(b, `auditor-${agency.id}`)
    const reason = field(b, `reason-${agency.id}`).trim()
    if (p === 'TAKING_PART') {
      const auditor = ctx.auditors.find((a) => a.id === auditorId)
      if (!auditor) errors.push({ href: `#auditor-${agency.id}`, text: `Select the lead auditor for ${agency.name}` })
      else if (auditor.agencyId !== agency.id)
        errors.push({
          href: `#auditor-${agency.id}`,
          text: `${auditor.displayName} is not from ${agency.name}. The lead auditor must be from the agency taking part`,
        })
      else agencies.push({ agencyId: agency.id, participation: 'TAKING_PART', leadAuditorId: auditor.id, reason: null })
    } else if (p === 'UNABLE') {
      if (!reason) errors.push({ href: `#reason-${agency.id}`, text: `Enter why ${agency.name} is unable to take part` })
      else if (reason.length > 500) errors.push({ href: `#reason-${agency.id}`, text: 'The reason must be 500 characters or fewer' })
      else if (auditorId)
        errors.push({
          href: `#auditor-${agency.id}`,
          text: `${agency.name} is not taking part, so it cannot have a lead auditor. Clear the lead auditor or select “taking part”`,
        })
      else agencies.push({ agencyId: agency.id, participation: 'UNABLE', leadAuditorId: null, reason })
    } else if (auditorId) {
      errors.push({
        href: `#auditor-${agency.id}`,
        text: `${agency.name} is not taking part, so it cannot have a lead auditor. Select “taking part” or clear the lead auditor`,
      })
    }
  }
  if (!errors.length && !agencies.some((a) => a.participation === 'TAKING_PART'))
    errors.push({ href: `#agency-${ctx.agencies[0]?.id ?? ''}`, text: 'Select at least one agency taking part, with its lead auditor' })
  let sampleIds: string[] = []
  if (ctx.sampleIds) {
    sampleIds = fields(b, 'cases').filter((id) => ctx.sampleIds!.includes(id))
    if (!sampleIds.length) errors.push({ href: '#cases', text: 'Select the cases the deep dive looks at' })
  }
  return resultOf(errors, { theme: theme.value, panelDate, toolId, purpose: purpose.value || null, agencies, sampleIds })
}

export type CohortInput = { filter: CohortFilter; size: string; seed: string; draw: boolean }
export function readCohort(
  b: unknown,
  agencyIds: string[],
  statuses: string[],
): Result<CohortInput & { seedValue: number | null; sizeValue: number }> {
  const errors: FieldError[] = []
  const openOn = dateField(b, 'open-on')
  if (!openOn) errors.push({ href: '#open-on-day', text: 'Enter the date the cases were open on, for example 1 2 2026' })
  const ratings = fields(b, 'ratings').filter((r) => ['GREEN', 'AMBER', 'RED'].includes(r))
  const chosen = fields(b, 'statuses').filter((s) => statuses.includes(s))
  const agency = field(b, 'agency')
  if (agency && !agencyIds.includes(agency)) errors.push({ href: '#agency', text: 'Select an agency from the list' })
  const sizeText = field(b, 'sample-size').trim()
  const draw = field(b, 'action') === 'draw'
  const sizeValue = /^\d{1,4}$/.test(sizeText) ? Number(sizeText) : NaN
  if (draw && !Number.isInteger(sizeValue))
    errors.push({ href: '#sample-size', text: 'Enter the number of cases to select, a whole number' })
  const seed = parseSeed(field(b, 'seed'))
  if (!seed.ok) errors.push(...seed.errors)
  return resultOf(errors, {
    filter: { openOn, ratings, statuses: chosen, agencyId: agency || null },
    size: sizeText,
    seed: field(b, 'seed'),
    draw,
    seedValue: seed.ok ? seed.value : null,
    sizeValue,
  })
}

export function readConsent(b: unknown): ConsentInput {
  return {
    state: field(b, 'state'),
    by: field(b, 'by'),
    on: dateField(b, 'on'),
    how: field(b, 'how'),
    replace: field(b, 'replace') === 'yes',
  }
}

export function readSummary(b: unknown, codes: string[], sections: number): SummaryInput {
  const grades: Record<string, string> = {}
  for (const c of codes) grades[c] = field(b, `grade-${c}`)
  const notes: Record<string, string> = {}
  for (let i = 0; i < sections; i++) notes[String(i)] = field(b, `note-${i}`)
  return {
    grades,
    notes,
    overall: field(b, 'overall'),
    summary: field(b, 'summary'),
    feedbackGiven: field(b, 'feedback-given'),
    feedback: field(b, 'feedback'),
  }
}

export type FindingInput = { kind: string; text: string; tags: string; when?: WhenInput }

/** A finding, and when it was agreed (the forms kit's "when it happened"; blank is now). */
export function readFinding(b: unknown): FindingInput {
  return { kind: field(b, 'finding-kind'), text: field(b, 'finding-text'), tags: field(b, 'finding-tags'), when: whenOf(b) }
}

export function readRecommendation(b: unknown): RecommendationInput {
  return {
    text: field(b, 'recommendation-text'),
    owner: field(b, 'recommendation-owner'),
    ownerText: field(b, 'recommendation-owner-text'),
    due: dateField(b, 'recommendation-due'),
  }
}

/** The panel's record: the cases discussed, its notes, and when it met (blank is now). */
export function readPanel(b: unknown): { discussed: string[]; notes: string; when: WhenInput } {
  return { discussed: fields(b, 'discussed'), notes: field(b, 'panel-notes'), when: whenOf(b) }
}

export function readTool(b: unknown) {
  return {
    name: field(b, 'name'),
    format: field(b, 'format'),
    definition: field(b, 'definition'),
    scale: field(b, 'scale'),
    freeText: field(b, 'free-text') !== 'no',
  }
}
