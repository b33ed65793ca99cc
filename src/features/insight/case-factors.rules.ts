import type { FieldError } from '../../platform/forms/forms.js'
import { TOTAL_COLUMN_KEY } from './disclosure.rules.js'
import type { Figure } from './insight.figures.js'

/**
 * Case factors: things recorded about a child's circumstances on a case, counted across a
 * cohort for audits and the needs assessment. The standard list, plus the partnership's own.
 * Pure.
 */
export const STANDARD_FACTORS = [
  { code: 'LEARNING_DIFFICULTY', label: 'Learning difficulty or disability' },
  { code: 'OWN_EXPERIENCE_OF_ABUSE', label: 'Own experience of abuse or trauma' },
  { code: 'ONLINE_PORNOGRAPHY', label: 'Access to online pornography' },
  { code: 'OVERCROWDING', label: 'Overcrowding at home' },
] as const

export type FactorType = { code: string; label: string; standard: boolean; retired: boolean }

export const LABEL_MAX = 100
const CODE_MAX = 40

/** The standard factors followed by the partnership's own (retired ones last, flagged). */
export function factorList(own: readonly { code: string; label: string; retiredAt: Date | null }[]): FactorType[] {
  return [
    ...STANDARD_FACTORS.map((f) => ({ code: f.code, label: f.label, standard: true, retired: false })),
    ...own.filter((f) => !f.retiredAt).map((f) => ({ code: f.code, label: f.label, standard: false, retired: false })),
    ...own.filter((f) => f.retiredAt).map((f) => ({ code: f.code, label: f.label, standard: false, retired: true })),
  ]
}

/** An upper snake case code from a label ("Exclusion from school" → EXCLUSION_FROM_SCHOOL), unique among `taken`. */
export function codeFor(label: string, taken: readonly string[]): string {
  let stem = label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
  // A label with no letters or digits of the Latin alphabet (another script, symbols) still gets a code.
  if (!/^[A-Z]/.test(stem)) stem = stem ? `F_${stem}` : 'FACTOR'
  stem = stem.slice(0, CODE_MAX - 3).replace(/_+$/, '')
  if (stem.length < 2) stem = `${stem}_FACTOR`
  const used = new Set(taken)
  if (!used.has(stem)) return stem
  for (let n = 2; ; n++) if (!used.has(`${stem}_${n}`)) return `${stem}_${n}`
}

/** Checks a new factor's label against the factors already on the list (standard and own, current ones). */
export function validateFactorLabel(
  label: string,
  current: readonly FactorType[],
): { ok: true; value: string } | { ok: false; errors: FieldError[] } {
  const text = label.trim().replace(/\s+/g, ' ')
  if (!text) return { ok: false, errors: [{ href: '#label', text: 'Enter the name of the factor' }] }
  if (text.length > LABEL_MAX)
    return { ok: false, errors: [{ href: '#label', text: `The name of the factor must be ${LABEL_MAX} characters or fewer` }] }
  if (current.some((f) => !f.retired && f.label.toLowerCase() === text.toLowerCase()))
    return { ok: false, errors: [{ href: '#label', text: `“${text}” is already on the list` }] }
  return { ok: true, value: text }
}

/**
 * What saving the form changes: factors ticked that are not current are added; factors that
 * were current when the form was shown, and are no longer ticked, are removed. A factor added
 * by someone else since the form was shown is left alone.
 */
export function factorChanges(input: {
  ticked: readonly string[]
  shown: readonly string[]
  current: readonly string[]
  allowed: readonly string[]
}): { add: string[]; remove: string[]; unknown: string[] } {
  const ticked = new Set(input.ticked)
  const current = new Set(input.current)
  const unknown = [...ticked].filter((c) => !input.allowed.includes(c) && !current.has(c))
  const add = [...ticked].filter((c) => !current.has(c) && input.allowed.includes(c))
  const remove = input.shown.filter((c) => current.has(c) && !ticked.has(c))
  return { add, remove: [...new Set(remove)], unknown }
}

/** The share of the cohort with each factor: rows are factors, with the cohort's size beside each. */
export function caseFactorsFigure(
  factors: readonly FactorType[],
  withFactor: readonly { code: string; n: number }[],
  cohort: number,
  periodLabel: string,
  asAt: string,
): Figure {
  const counts = new Map(withFactor.map((r) => [r.code, r.n]))
  const shown = factors.filter((f) => !f.retired || (counts.get(f.code) ?? 0) > 0)
  return {
    id: 'case-factors',
    title: 'Children with each recorded factor',
    description: `Children with a request for support received in ${periodLabel}, and the share of them with each factor recorded on their case as at the end of ${asAt}.`,
    rowHeading: 'Factor',
    // The cohort is each row's total (with + without), so disclosure control treats it as a margin:
    // a small number of children *without* a factor cannot be worked out by subtraction either.
    columns: [
      { key: 'with', label: 'Children with the factor', kind: 'count' },
      { key: 'without', label: 'Children without it recorded', kind: 'count' },
      { key: TOTAL_COLUMN_KEY, label: 'Children in the cohort', kind: 'count' },
      { key: 'share', label: 'Share', kind: 'share', of: { numerator: 'with', denominator: TOTAL_COLUMN_KEY } },
    ],
    rows: shown.map((f) => {
      const n = counts.get(f.code) ?? 0
      return {
        key: f.code,
        label: f.retired ? `${f.label} (retired)` : f.label,
        values: [n, cohort - n, cohort, cohort > 0 ? n / cohort : null],
      }
    }),
    totalRow: false,
    // Its cases are listed from the dashboard's facts (dashboard.sql.ts 'case-factors').
    drillable: true,
  }
}
