import { whenOf, type WhenInput } from '../../platform/forms/when.js'
import { text, type FieldError } from '../../platform/forms/forms.js'
import type { Parsed } from './request-for-support.form.js'
import { checkDate } from '../../platform/forms/dates.js'
import type { StoredBehaviour } from './referrals.repository.js'
import {
  ageBand,
  isBehaviourContext,
  isHackettPoint,
  isRating,
  overallRating,
  validateScreening,
  type BrookToolVersion,
  type Rating,
} from './screening.rules.js'

/** The form shows at least this many behaviour rows; "Add another behaviour" adds one, up to the most. */
export const MIN_BEHAVIOUR_ROWS = 3
export const MAX_BEHAVIOUR_ROWS = 30
/** The widely used version is the default. */
export const DEFAULT_TOOL_VERSION: BrookToolVersion = 'BROOK_ORIGINAL'
export const SCREENING_TOOL = 'BROOK_TRAFFIC_LIGHT_TOOL'

const ROW_PARTS = ['description', 'date-day', 'date-month', 'date-year', 'context', 'hackett', 'rating', 'rationale', 'catalogue'] as const
export type BehaviourRow = Record<(typeof ROW_PARTS)[number], string>

/** What was typed on the screening form, behaviours compacted (blank rows dropped, renumbered). */
export type ScreeningForm = {
  toolVersion: string
  rows: BehaviourRow[]
  /** How many rows to show when the form is shown again. */
  rowCount: number
  overallRationale: string
  version: number | null
  addBehaviour: boolean
  /** When the screening was done (blank: now). */
  when: WhenInput
}

export type ScreeningCommand = {
  toolVersion: BrookToolVersion
  ageBand: string
  behaviours: StoredBehaviour[]
  overallRating: Rating
  rationale: string
  version: number
}

export function readScreeningForm(body: unknown): ScreeningForm {
  const b = (body ?? {}) as Record<string, unknown>
  const sent = /^\d{1,2}$/.test(text(b.rows)) ? Number(text(b.rows)) : MIN_BEHAVIOUR_ROWS
  const submitted = Math.min(Math.max(sent, 1), MAX_BEHAVIOUR_ROWS)
  const rows: BehaviourRow[] = []
  for (let n = 1; n <= submitted; n++) {
    const row = Object.fromEntries(ROW_PARTS.map((p) => [p, text(b[`behaviour-${n}-${p}`])])) as BehaviourRow
    if (ROW_PARTS.some((p) => row[p].trim() !== '')) rows.push(row)
  }
  const addBehaviour = b['add-behaviour'] !== undefined
  const version = /^\d{1,9}$/.test(text(b.version)) ? Number(text(b.version)) : null
  return {
    toolVersion: text(b['tool-version']),
    rows,
    rowCount: Math.min(Math.max(MIN_BEHAVIOUR_ROWS, submitted + (addBehaviour ? 1 : 0), rows.length), MAX_BEHAVIOUR_ROWS),
    overallRationale: text(b['overall-rationale']),
    version,
    addBehaviour,
    when: whenOf(body),
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The catalogue items chosen on rows whose description was left empty (well-formed ids only). */
export function chosenCatalogueIds(form: ScreeningForm): string[] {
  return [...new Set(form.rows.filter((r) => r.description.trim() === '' && UUID.test(r.catalogue)).map((r) => r.catalogue.toLowerCase()))]
}

/**
 * A behaviour chosen from the partnership's catalogue fills an empty description, and the
 * rating if none was chosen. Items of another tool version than the one chosen are ignored.
 */
export function applyCatalogueChoices(
  form: ScreeningForm,
  items: readonly { id: string; behaviour: string; rating: string; toolVersion: string }[],
): ScreeningForm {
  const byId = new Map(items.filter((i) => i.toolVersion === form.toolVersion).map((i) => [i.id, i]))
  return {
    ...form,
    rows: form.rows.map((row) => {
      const item = row.description.trim() === '' ? byId.get(row.catalogue.toLowerCase()) : undefined
      return item ? { ...row, description: item.behaviour, rating: row.rating || item.rating } : row
    }),
  }
}

/** Page order of a field id: the tool, then each behaviour's fields in turn, then the rationale. */
const ERROR_ORDER = ['description', 'date-day', 'context', 'hackett', 'rating', 'rationale']
function rank(href: string): number {
  const m = /^#behaviour-(\d+)-([a-z-]+)$/.exec(href)
  if (m) return Number(m[1]) * 100 + ERROR_ORDER.indexOf(m[2] ?? '')
  return href === '#tool-version' ? 0 : 1_000_000
}

/**
 * Checks a screening against the child's date of birth (YYYY-MM-DD) and today, and works out
 * the age band at the time of the earliest dated behaviour (or, with no dates, when the request
 * for support was received) and the overall rating (the most serious behaviour).
 */
export function checkScreening(
  form: ScreeningForm,
  child: { dateOfBirth: string; referralDate: string; today: string },
): Parsed<ScreeningCommand> {
  if (form.version === null) return { ok: false, errors: [], incomplete: true }
  const errors: FieldError[] = []
  const dates = form.rows.map((row, i) => {
    const d = checkDate({ day: row['date-day'], month: row['date-month'], year: row['date-year'] }, `Date of behaviour ${i + 1}`)
    if (!d.ok) errors.push({ href: `#behaviour-${i + 1}-date-day`, text: d.message })
    return d.ok ? d.value : null
  })
  const problems = validateScreening(
    {
      toolVersion: form.toolVersion,
      dateOfBirth: child.dateOfBirth,
      overallRationale: form.overallRationale,
      behaviours: form.rows.map((row, i) => ({
        description: row.description,
        behaviourDate: dates[i] ?? '',
        context: row.context,
        hackett: row.hackett,
        rating: row.rating,
        rationale: row.rationale,
      })),
    },
    child.today,
  )
  for (const p of problems) errors.push({ href: p.field === 'behaviours' ? '#behaviour-1-description' : p.href, text: p.message })

  const toolVersion = form.toolVersion as BrookToolVersion
  if (errors.length === 0) {
    const dated = dates.map((d, i) => ({ d, i })).filter((x): x is { d: string; i: number } => x.d !== null)
    const earliest = dated.reduce<{ d: string; i: number } | undefined>((a, x) => (a === undefined || x.d < a.d ? x : a), undefined)
    const band = ageBand(toolVersion, child.dateOfBirth, earliest?.d ?? child.referralDate)
    if (!band.ok) {
      errors.push({ href: earliest ? `#behaviour-${earliest.i + 1}-date-day` : '#tool-version', text: band.message })
    } else {
      const behaviours: StoredBehaviour[] = form.rows.map((row, i) => ({
        description: row.description.trim(),
        date: dates[i] ?? null,
        context: isBehaviourContext(row.context) ? row.context : null,
        hackett: isHackettPoint(row.hackett) ? row.hackett : null,
        rating: row.rating as Rating,
        rationale: row.rationale.trim(),
      }))
      const overall = overallRating(behaviours)
      if (overall && behaviours.every((x) => isRating(x.rating))) {
        return {
          ok: true,
          value: {
            toolVersion,
            ageBand: band.band.key,
            behaviours,
            overallRating: overall,
            rationale: form.overallRationale.trim(),
            version: form.version,
          },
        }
      }
    }
  }
  return { ok: false, errors: [...errors].sort((a, b) => rank(a.href) - rank(b.href)), incomplete: false }
}
