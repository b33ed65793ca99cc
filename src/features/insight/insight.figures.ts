/**
 * The shape every insight figure takes, from the SQL that counts it to the page, the chart, the
 * downloads and the board report. Pure types and small helpers; no I/O.
 *
 * A figure is a small table: rows (e.g. ratings) × columns (e.g. "Referrals"). Count columns hold
 * whole numbers of children, cases, meetings or practitioners and are subject to disclosure
 * control. Derived columns (a share, a median number of days) are worked out from counts and are
 * hidden whenever the counts they come from are hidden or too small.
 */

export type ColumnKind = 'count' | 'share' | 'days' | 'capacity'

export type FigureColumn = {
  key: string
  label: string
  kind: ColumnKind
  /** For 'share': the count column it divides (numerator) and the one it divides by (denominator). */
  of?: { numerator: string; denominator: string }
  /** For 'days': the count column giving how many cases the median is over. */
  basis?: string
}

export type FigureRow = {
  key: string
  label: string
  /** One value per column, in column order. null: not applicable / no data (shown as a dash). */
  values: (number | null)[]
}

export type Figure = {
  /** Stable id: used in URLs (`/insight/figures/<id>.csv`), tests and the board report. */
  id: string
  title: string
  /** One sentence saying what is counted and by which date. */
  description: string
  /** The heading of the first column (what the rows are). */
  rowHeading: string
  columns: FigureColumn[]
  rows: FigureRow[]
  /** Add a "Total" row summing each count column (derived columns are recomputed from the totals). */
  totalRow: boolean
  /** Whether a row's count links to the cases behind it (only for users allowed to see them). */
  drillable: boolean
  /**
   * The count columns are categories of the same children (levels of concern), not different
   * measures: disclosure control then treats each row as a breakdown too.
   */
  categoryColumns?: true
}

/** Why a cell shows no number. */
export type Hidden = 'suppressed' | 'secondary' | 'not-applicable'

export type ShownCell = {
  /** The number shown, or null when hidden. */
  value: number | null
  /** The text to show: "12", "45%", "3.5", "[c]" for suppressed, "–" for not applicable. */
  text: string
  hidden?: Hidden
  /** Link to the cases behind this count, when drilling through is allowed. */
  href?: string
}

export type ShownRow = { key: string; label: string; cells: ShownCell[]; isTotal?: boolean }

/** A figure after disclosure control: what a given person may see. */
export type ShownFigure = Omit<Figure, 'rows'> & {
  rows: ShownRow[]
  /** True when any cell was hidden by disclosure control (the page then explains the [c] mark). */
  anySuppressed: boolean
  /** The threshold in force: counts from 1 to threshold - 1 are hidden. null when not suppressed. */
  threshold: number | null
}

/** The mark for a suppressed cell (ONS convention: "confidential"). */
export const SUPPRESSED_MARK = '[c]'
export const NOT_APPLICABLE_MARK = '–'
