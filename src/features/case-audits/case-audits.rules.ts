import { isIsoDate } from '../../platform/clocks/london-time.js'
import type { FieldError, FormResult } from '../../platform/forms/forms.js'
import { checkWhen, type Follows, type When, type WhenInput } from '../../platform/forms/when.js'
import type { AuditScaleItem, AuditSection, AuditToolDefinition, ConsentState } from './case-audits.tables.js'

/**
 * Pure rules of a multi-agency case audit: the seeded draw, audit tools (templates) and their
 * validation, summary sheets, recommendations, and the numbers the report states.
 */

export type Result<T> = FormResult<T>
const fail = (href: string, text: string): { ok: false; errors: FieldError[] } => ({ ok: false, errors: [{ href, text }] })

export const MAX_TEXT = 5000
export const MAX_SAMPLE = 50

/** mulberry32: a small, well-known 32-bit PRNG. The same seed gives the same numbers on any machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The cohort in the seed's order: the cohort's case ids sorted (so the order the database
 * returned them does not matter), then shuffled by Fisher–Yates with mulberry32(seed).
 * Draw n is the n-th case of this order: the first N are the sample, replacements follow.
 */
export function drawOrder(caseIds: readonly string[], seed: number): string[] {
  const order = [...caseIds].sort()
  const random = mulberry32(seed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  return order
}

export type Draw = { caseId: string; drawNumber: number }

/** The first `size` draws; refused (with the words to show) when the cohort is empty or too small. */
export function drawSample(caseIds: readonly string[], seed: number, size: number): Result<Draw[]> {
  if (caseIds.length === 0) return fail('#sample-size', 'No cases match the cohort. Change the cohort before drawing a sample')
  if (!Number.isInteger(size) || size < 1) return fail('#sample-size', 'Enter the number of cases to select, a whole number of 1 or more')
  if (size > caseIds.length) {
    return fail(
      '#sample-size',
      `The sample (${size}) is larger than the cohort (${caseIds.length} ${caseIds.length === 1 ? 'case' : 'cases'}). Select ${caseIds.length} or fewer`,
    )
  }
  if (size > MAX_SAMPLE) return fail('#sample-size', `The sample must be ${MAX_SAMPLE} cases or fewer`)
  return {
    ok: true,
    value: drawOrder(caseIds, seed)
      .slice(0, size)
      .map((caseId, i) => ({ caseId, drawNumber: i + 1 })),
  }
}

/** The next draw after those already made (a replacement), or null when the cohort is used up. */
export function nextDraw(caseIds: readonly string[], seed: number, drawnCount: number): Draw | null {
  const order = drawOrder(caseIds, seed)
  const caseId = order[drawnCount]
  return caseId ? { caseId, drawNumber: drawnCount + 1 } : null
}

/** A seed as typed (a whole number 0 to 4294967295), or null for "choose one". */
export function parseSeed(value: string): Result<number | null> {
  const text = value.trim()
  if (!text) return { ok: true, value: null }
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff)
    return fail('#seed', 'The seed must be a whole number from 0 to 4294967295, or left blank')
  return { ok: true, value: Number(text) }
}

// ---------------------------------------------------------------------------------------------
// Audit tools

export const DEFAULT_SCALE: AuditScaleItem[] = [
  { key: 'OUTSTANDING', label: 'Outstanding' },
  { key: 'GOOD', label: 'Good' },
  { key: 'REQUIRES_IMPROVEMENT', label: 'Requires improvement' },
  { key: 'INADEQUATE', label: 'Inadequate' },
]

/**
 * The shipped template for HSB practice, in our own words, following the themes of the NSPCC
 * harmful sexual behaviour framework (policy, early help, assessment, intervention, workforce).
 */
export const HSB_PRACTICE_TOOL_NAME = 'HSB practice audit (built in)'
export const HSB_PRACTICE_TOOL: AuditToolDefinition = {
  scale: DEFAULT_SCALE,
  freeText: true,
  sections: [
    {
      title: 'Policy and procedure',
      questions: [
        { code: 'P1', text: 'Was the partnership’s HSB guidance followed from the first concern onwards?' },
        { code: 'P2', text: 'Were decisions about the response (welfare, criminal or both) recorded with the reasons for them?' },
      ],
    },
    {
      title: 'Early help and the first response',
      questions: [
        { code: 'E1', text: 'Was the behaviour recognised and shared promptly by the first professional who knew of it?' },
        { code: 'E2', text: 'Was support offered at the earliest point it could have made a difference?' },
      ],
    },
    {
      title: 'Assessment',
      questions: [
        { code: 'A1', text: 'Did the assessment look at the pattern of behaviour and its causes, not only the latest incident?' },
        { code: 'A2', text: 'Did the assessment consider the child’s own needs and any harm they have experienced?' },
        { code: 'A3', text: 'Did the assessment lead clearly into the plan?' },
      ],
    },
    {
      title: 'Intervention and safety planning',
      questions: [
        { code: 'I1', text: 'Did the plan keep the child and other children safe, and was it reviewed?' },
        { code: 'I2', text: 'Was the work with the child and family suited to their age, understanding and circumstances?' },
        { code: 'I3', text: 'Were the views of the child and the family sought and acted on?' },
      ],
    },
    {
      title: 'Workforce and multi-agency working',
      questions: [
        { code: 'W1', text: 'Did the practitioners involved have the training and supervision this work needs?' },
        { code: 'W2', text: 'Did agencies share information, challenge each other and escalate when they needed to?' },
      ],
    },
  ],
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/
const keyOf = (label: string) =>
  label
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')

/** A grading scale typed one grade per line, best first. */
export function parseScale(text: string): Result<AuditScaleItem[]> {
  const labels = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  if (labels.length < 2) return fail('#scale', 'Enter at least two grades, one on each line')
  if (labels.length > 10) return fail('#scale', 'Enter 10 grades or fewer')
  const scale = labels.map((label) => ({ key: keyOf(label), label }))
  if (scale.some((s) => !s.key)) return fail('#scale', 'Each grade must contain a letter or a number')
  if (new Set(scale.map((s) => s.key)).size !== scale.length) return fail('#scale', 'Each grade must be different')
  return { ok: true, value: scale }
}

/** Checks a whole definition: every section titled, questions with unique codes, a scale of 2–10 grades. */
export function checkDefinition(d: AuditToolDefinition, href = '#definition'): Result<AuditToolDefinition> {
  if (!d.sections.length) return fail(href, 'The audit tool needs at least one section with a question')
  const codes = new Set<string>()
  for (const [i, s] of d.sections.entries()) {
    if (!s.title.trim()) return fail(href, `Section ${i + 1} has no title`)
    if (!s.questions.length) return fail(href, `Section “${s.title}” has no questions`)
    for (const q of s.questions) {
      if (!CODE.test(q.code))
        return fail(href, `Question code “${q.code}” in “${s.title}” must be up to 16 letters, numbers, dots or dashes`)
      if (codes.has(q.code.toUpperCase())) return fail(href, `Question code “${q.code}” is used twice`)
      codes.add(q.code.toUpperCase())
      if (!q.text.trim()) return fail(href, `Question ${q.code} has no text`)
      if (q.text.length > 1000) return fail(href, `Question ${q.code} is longer than 1000 characters`)
    }
  }
  if (codes.size > 200) return fail(href, 'An audit tool can have up to 200 questions')
  if (d.scale.length < 2 || d.scale.length > 10) return fail(href, 'The grading scale needs between 2 and 10 grades')
  if (new Set(d.scale.map((s) => s.key)).size !== d.scale.length) return fail(href, 'Each grade must be different')
  return { ok: true, value: d }
}

/**
 * A partnership's own tool as JSON ({ scale: ["Good", …] or [{ key, label }], sections: [{ title,
 * questions: [{ code, text }] or ["text", …] }], freeText }) or CSV (header `section,code,question`),
 * in which case the scale comes from the form.
 */
export function parseToolDefinition(format: string, text: string, scaleText: string, freeText: boolean): Result<AuditToolDefinition> {
  if (!text.trim()) return fail('#definition', 'Enter the audit tool’s sections and questions')
  if (text.length > 200_000) return fail('#definition', 'The audit tool must be 200,000 characters or fewer')
  if (format === 'JSON') return parseJsonTool(text)
  if (format !== 'CSV') return fail('#format', 'Select whether the tool is JSON or CSV')
  const scale = parseScale(scaleText)
  if (!scale.ok) return scale
  const rows = parseCsv(text)
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase())
  const [si, ci, qi] = ['section', 'code', 'question'].map((h) => header.indexOf(h))
  if (si === undefined || si < 0 || ci === undefined || ci < 0 || qi === undefined || qi < 0) {
    return fail('#definition', 'The first line of the CSV must be the headings: section,code,question')
  }
  const sections: AuditSection[] = []
  for (const [n, row] of rows.entries()) {
    if (row.every((c) => !c.trim())) continue
    const title = (row[si] ?? '').trim()
    const code = (row[ci] ?? '').trim()
    const question = (row[qi] ?? '').trim()
    if (!title || !code || !question) return fail('#definition', `Row ${n + 2}: enter a section, a code and a question`)
    let section = sections.find((s) => s.title === title)
    if (!section) sections.push((section = { title, questions: [] }))
    section.questions.push({ code, text: question })
  }
  return checkDefinition({ scale: scale.value, sections, freeText })
}

function parseJsonTool(text: string): Result<AuditToolDefinition> {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return fail('#definition', 'The JSON could not be read. Check the brackets, commas and quotation marks')
  }
  if (!raw || typeof raw !== 'object') return fail('#definition', 'The JSON must be an object with “scale” and “sections”')
  const o = raw as Record<string, unknown>
  if (!Array.isArray(o.scale)) return fail('#definition', 'The JSON needs a “scale”: a list of grades, best first')
  if (!Array.isArray(o.sections)) return fail('#definition', 'The JSON needs “sections”: a list of { title, questions }')
  const scale: AuditScaleItem[] = []
  for (const g of o.scale) {
    if (typeof g === 'string' && g.trim()) scale.push({ key: keyOf(g), label: g.trim() })
    else if (g && typeof g === 'object' && typeof (g as { label?: unknown }).label === 'string') {
      const label = String((g as { label: string }).label).trim()
      const key = typeof (g as { key?: unknown }).key === 'string' ? keyOf((g as { key: string }).key) : keyOf(label)
      scale.push({ key, label })
    } else return fail('#definition', 'Each grade in “scale” must be text, or { key, label }')
  }
  if (scale.some((s) => !s.key || !s.label)) return fail('#definition', 'Each grade must contain a letter or a number')
  const sections: AuditSection[] = []
  let n = 0
  for (const s of o.sections) {
    const section = s as { title?: unknown; questions?: unknown }
    if (!s || typeof section.title !== 'string' || !Array.isArray(section.questions))
      return fail('#definition', 'Each section must be { "title": "…", "questions": [ … ] }')
    const questions = []
    for (const q of section.questions) {
      n++
      if (typeof q === 'string') questions.push({ code: `Q${n}`, text: q.trim() })
      else if (q && typeof q === 'object' && typeof (q as { text?: unknown }).text === 'string') {
        const code = typeof (q as { code?: unknown }).code === 'string' ? (q as { code: string }).code.trim() : `Q${n}`
        questions.push({ code, text: (q as { text: string }).text.trim() })
      } else return fail('#definition', `Section “${section.title}”: each question must be text, or { "code", "text" }`)
    }
    sections.push({ title: section.title.trim(), questions })
  }
  return checkDefinition({ scale, sections, freeText: o.freeText !== false })
}

/** A small CSV reader: commas, double-quoted fields with "" for a quote, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const endField = () => {
    row.push(field)
    field = ''
  }
  const endRow = () => {
    endField()
    rows.push(row)
    row = []
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') endField()
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
    } else field += c
  }
  if (field || row.length) endRow()
  return rows
}

// ---------------------------------------------------------------------------------------------
// Consent, summary sheets, findings, recommendations

export const CONSENT_BY = {
  PARENT: 'Parent',
  CARER: 'Carer',
  YOUNG_PERSON: 'The young person',
  OTHER: 'Someone else with parental responsibility',
} as const
export const CONSENT_HOW = { IN_PERSON: 'In person', PHONE: 'By phone', LETTER: 'By letter', EMAIL: 'By email' } as const
export type ConsentInput = { state: string; by: string; on: string; how: string; replace: boolean }
export type ConsentDecision = {
  state: Exclude<ConsentState, 'NOT_SOUGHT'>
  by: string | null
  on: string | null
  how: string | null
  replace: boolean
}

export function validateConsent(input: ConsentInput, today: string): Result<ConsentDecision> {
  const errors: FieldError[] = []
  if (!['SOUGHT', 'GIVEN', 'REFUSED'].includes(input.state))
    errors.push({ href: '#state', text: 'Select whether consent has been sought, given or refused' })
  const decided = input.state === 'GIVEN' || input.state === 'REFUSED'
  if (decided && !(input.by in CONSENT_BY)) errors.push({ href: '#by', text: 'Select who gave or refused consent' })
  if (!isIsoDate(input.on)) errors.push({ href: '#on-day', text: 'Enter the date consent was sought or answered, for example 3 2 2026' })
  else if (input.on > today) errors.push({ href: '#on-day', text: 'The date cannot be in the future' })
  if (!(input.how in CONSENT_HOW)) errors.push({ href: '#how', text: 'Select how consent was sought' })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: {
      state: input.state as ConsentDecision['state'],
      by: decided ? input.by : null,
      on: input.on,
      how: input.how,
      replace: input.state === 'REFUSED' && input.replace,
    },
  }
}

export type SummaryInput = {
  grades: Record<string, string>
  notes: Record<string, string>
  overall: string
  summary: string
  feedbackGiven: string
  feedback: string
}
export type SummaryValue = {
  grades: Record<string, string>
  notes: Record<string, string>
  overall: string | null
  summary: string
  feedbackGiven: boolean
  feedback: string | null
}

/** A summary sheet: every grade given must be one of the tool's scale (blank means not graded yet). */
export function validateSummary(input: SummaryInput, tool: AuditToolDefinition): Result<SummaryValue> {
  const keys = new Set(tool.scale.map((s) => s.key))
  const scaleWords = tool.scale.map((s) => s.label).join(', ')
  const errors: FieldError[] = []
  const grades: Record<string, string> = {}
  for (const q of tool.sections.flatMap((s) => s.questions)) {
    const g = (input.grades[q.code] ?? '').trim()
    if (!g) continue
    if (!keys.has(g)) errors.push({ href: `#grade-${q.code}`, text: `The grade for ${q.code} must be one of: ${scaleWords}` })
    else grades[q.code] = g
  }
  const overall = input.overall.trim()
  if (overall && !keys.has(overall)) errors.push({ href: '#overall', text: `The overall grade must be one of: ${scaleWords}` })
  const notes: Record<string, string> = {}
  tool.sections.forEach((_, i) => {
    const note = (input.notes[String(i)] ?? '').trim()
    if (note.length > MAX_TEXT) errors.push({ href: `#note-${i}`, text: `Comments must be ${MAX_TEXT} characters or fewer` })
    else if (note && tool.freeText) notes[String(i)] = note
  })
  const summary = input.summary.trim()
  if (!summary) errors.push({ href: '#summary', text: 'Enter your agency’s summary of this case' })
  else if (summary.length > MAX_TEXT) errors.push({ href: '#summary', text: `The summary must be ${MAX_TEXT} characters or fewer` })
  if (!['yes', 'no'].includes(input.feedbackGiven))
    errors.push({ href: '#feedback-given', text: 'Select whether the parent or child gave feedback' })
  const feedback = input.feedback.trim()
  if (input.feedbackGiven === 'yes' && !feedback) errors.push({ href: '#feedback', text: 'Enter the feedback the parent or child gave' })
  if (feedback.length > MAX_TEXT) errors.push({ href: '#feedback', text: `Feedback must be ${MAX_TEXT} characters or fewer` })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: {
      grades,
      notes,
      overall: overall || null,
      summary,
      feedbackGiven: input.feedbackGiven === 'yes',
      feedback: input.feedbackGiven === 'yes' ? feedback : null,
    },
  }
}

/** Learning themes typed as "online, learning needs": lower-case, trimmed, unique, in order. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,\n]/)
    .map((t) => t.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter(Boolean)
  return [...new Set(tags)].slice(0, 20).map((t) => t.slice(0, 60))
}

export type FindingKind = 'GOOD_PRACTICE' | 'LEARNING' | 'CONCLUSION'
export const FINDING_KINDS: Record<FindingKind, string> = { GOOD_PRACTICE: 'Good practice', LEARNING: 'Learning', CONCLUSION: 'Conclusion' }

export function validateFinding(input: {
  kind: string
  text: string
  tags: string
}): Result<{ kind: FindingKind; text: string; tags: string[] }> {
  const errors: FieldError[] = []
  if (!(input.kind in FINDING_KINDS)) errors.push({ href: '#finding-kind', text: 'Select good practice, learning or conclusion' })
  const text = input.text.trim()
  if (!text) errors.push({ href: '#finding-text', text: 'Enter the finding' })
  else if (text.length > MAX_TEXT) errors.push({ href: '#finding-text', text: `The finding must be ${MAX_TEXT} characters or fewer` })
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { kind: input.kind as FindingKind, text, tags: input.kind === 'LEARNING' ? parseTags(input.tags) : [] } }
}

// ---------------------------------------------------------------------------------------------
// When the panel met and a finding was agreed (issue 15, ADR 0008)

/** What an audit's step follows: when it was set up, and when its sample was drawn (a deep dive's comes with its set-up). */
export type AuditTimes = { createdAt: Date; sampledAt: Date | null; parentAuditId: string | null }
export type AuditStep = 'panel' | 'finding'

/**
 * What the panel or a finding cannot have happened before, in words: the panel discusses the
 * cases of the sample, so it follows the draw; a finding follows the audit's set-up.
 */
export function auditFollows(step: AuditStep, a: AuditTimes): Follows {
  if (step === 'panel' && a.sampledAt) return { label: 'the sample was drawn', at: a.sampledAt }
  return { label: a.parentAuditId ? 'the deep dive was set up' : 'the audit was set up', at: a.createdAt }
}

/**
 * When the panel met or a finding was agreed, as the business manager said (blank: now), by the
 * forms kit's rules: not in the future, not before the step it follows (named), and more than
 * `lateAfterDays` back only with the reason it is entered late.
 */
export function checkAuditWhen(
  input: WhenInput,
  step: AuditStep,
  audit: AuditTimes,
  rules: { now: Date; lateAfterDays: number },
): Result<When> {
  return checkWhen(input, { ...rules, follows: auditFollows(step, audit) })
}

/** When the panel met, or the date it is planned for until its record is saved. */
export const panelDayOf = (a: { panelDate: Date; panelHeldAt: Date | null }): Date => a.panelHeldAt ?? a.panelDate

/** What the audit log says of when a step happened: `occurredAt` when it was given, `lateReason` when there is one. */
export function whenDetail(when: When): Record<string, string> {
  return {
    ...(when.given ? { occurredAt: when.occurredAt.toISOString() } : {}),
    ...(when.lateReason ? { lateReason: when.lateReason } : {}),
  }
}

export const ALL_AGENCIES = 'ALL'
export type RecommendationInput = { text: string; owner: string; ownerText: string; due: string }
export type RecommendationValue = {
  text: string
  ownerAgencyId: string | null
  allAgencies: boolean
  ownerText: string | null
  dueOn: string
}

/** A recommendation needs whom (an agency taking part, or all of them) and when. */
export function validateRecommendation(input: RecommendationInput, agencyIds: readonly string[]): Result<RecommendationValue> {
  const errors: FieldError[] = []
  const text = input.text.trim()
  if (!text) errors.push({ href: '#recommendation-text', text: 'Enter the recommendation' })
  else if (text.length > MAX_TEXT)
    errors.push({ href: '#recommendation-text', text: `The recommendation must be ${MAX_TEXT} characters or fewer` })
  const all = input.owner === ALL_AGENCIES
  if (!all && !agencyIds.includes(input.owner))
    errors.push({ href: '#recommendation-owner', text: 'Select who owns the recommendation: an agency taking part, or all of them' })
  const ownerText = input.ownerText.trim()
  if (ownerText.length > 200) errors.push({ href: '#recommendation-owner-text', text: 'The named owner must be 200 characters or fewer' })
  if (!isIsoDate(input.due))
    errors.push({ href: '#recommendation-due-day', text: 'Enter when the recommendation is due, for example 31 3 2026' })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { text, ownerAgencyId: all ? null : input.owner, allAgencies: all, ownerText: ownerText || null, dueOn: input.due },
  }
}

// ---------------------------------------------------------------------------------------------
// Dates, ages and the report's numbers

/** The child's age as a band, never the date of birth. */
export function ageBandOf(dateOfBirth: string, today: string): string {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
  if (age < 10) return 'Under 10'
  if (age < 14) return '10 to 13'
  if (age < 18) return '14 to 17'
  return '18 or over'
}

export type ProcessNumbers = {
  cohort: number
  selected: number
  replacements: number
  consented: number
  refused: number
  awaiting: number
  discussed: number
  takingPart: number
  unable: number
  summarySheets: number
  withFeedback: number
}

/** The numbers the report states, counted from the records. "Selected" is the initial draw. */
export function processNumbers(
  cohort: number,
  samples: readonly { consent: ConsentState; discussedAtPanel: boolean; replacesSampleId: string | null }[],
  agencies: readonly { participation: 'TAKING_PART' | 'UNABLE' }[],
  summaries: readonly { feedbackGiven: boolean }[],
): ProcessNumbers {
  return {
    cohort,
    selected: samples.filter((s) => !s.replacesSampleId).length,
    replacements: samples.filter((s) => s.replacesSampleId).length,
    consented: samples.filter((s) => s.consent === 'GIVEN').length,
    refused: samples.filter((s) => s.consent === 'REFUSED').length,
    awaiting: samples.filter((s) => s.consent === 'NOT_SOUGHT' || s.consent === 'SOUGHT').length,
    discussed: samples.filter((s) => s.consent === 'GIVEN' && s.discussedAtPanel).length,
    takingPart: agencies.filter((a) => a.participation === 'TAKING_PART').length,
    unable: agencies.filter((a) => a.participation === 'UNABLE').length,
    summarySheets: summaries.length,
    withFeedback: summaries.filter((s) => s.feedbackGiven).length,
  }
}

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']
/** Numbers in words up to twelve, as a report writes them; figures after that. */
export function inWords(n: number, capital = false): string {
  const w = WORDS[n] ?? String(n)
  return capital ? w.charAt(0).toUpperCase() + w.slice(1) : w
}
