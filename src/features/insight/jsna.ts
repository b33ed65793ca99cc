import type { IsoDate } from '../../platform/clocks/london-time.js'
import { escapeFormula } from '../../platform/exports/formula.js'
import type { ShownFigure } from './insight.figures.js'

/**
 * The data extract for the Joint Strategic Needs Assessment chapter: every figure cell as one row
 * of a tidy, long-format CSV (RFC 4180, CRLF line ends, a byte-order mark so spreadsheet programs
 * read it as UTF-8, formula-like text escaped). Always after publication suppression: a hidden
 * count has an empty value and suppressed = "yes". Pure.
 */

export const JSNA_COLUMNS = ['period_start', 'period_end', 'as_at', 'measure', 'breakdown', 'category', 'value', 'suppressed'] as const

export type JsnaMeta = { from: IsoDate; to: IsoDate; asAt: IsoDate }

/** One field: formula-escaped, then quoted when it holds a comma, quote or line break (quotes doubled). */
export function csvField(value: string): string {
  const text = escapeFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The measure names the figure and, when it has more than one column, the column:
 * "referrals-by-rating" or "strategy-meetings.within-24-hours".
 */
export const measureOf = (figure: ShownFigure, columnKey: string) => (figure.columns.length === 1 ? figure.id : `${figure.id}.${columnKey}`)

export type JsnaRow = Record<(typeof JSNA_COLUMNS)[number], string>

export function jsnaRows(figures: readonly ShownFigure[], meta: JsnaMeta): JsnaRow[] {
  const rows: JsnaRow[] = []
  for (const figure of figures) {
    for (const row of figure.rows) {
      figure.columns.forEach((column, i) => {
        const cell = row.cells[i]
        const hidden = cell?.hidden === 'suppressed' || cell?.hidden === 'secondary'
        rows.push({
          period_start: meta.from,
          period_end: meta.to,
          as_at: meta.asAt,
          measure: measureOf(figure, column.key),
          breakdown: figure.rowHeading,
          category: row.label,
          value: hidden || cell?.value === null || cell?.value === undefined ? '' : String(cell.value),
          suppressed: hidden ? 'yes' : 'no',
        })
      })
    }
  }
  return rows
}

export function jsnaCsv(figures: readonly ShownFigure[], meta: JsnaMeta): string {
  const lines = [JSNA_COLUMNS.join(','), ...jsnaRows(figures, meta).map((r) => JSNA_COLUMNS.map((c) => csvField(r[c])).join(','))]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** A file name with no personal data: the period and the as-at date. */
export const jsnaFileName = (meta: JsnaMeta) => `hsb-jsna-extract-${meta.from}-to-${meta.to}-as-at-${meta.asAt}.csv`
