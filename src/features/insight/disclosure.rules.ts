import { canInPartnership, type Actor } from '../../platform/access/policy.js'
import {
  NOT_APPLICABLE_MARK,
  SUPPRESSED_MARK,
  type Figure,
  type FigureColumn,
  type Hidden,
  type ShownCell,
  type ShownFigure,
  type ShownRow,
} from './insight.figures.js'

/**
 * Disclosure control: what each person may see of an insight figure. Pure: no I/O.
 *
 * Counts from 1 to threshold - 1 are small enough to point at a child, so for most readers they
 * are suppressed (shown as [c]). Secondary suppression then hides further cells so that no
 * suppressed count can be worked out by subtracting the shown cells from a shown total, and
 * hides the zeros of a breakdown whose only non-zero count is hidden, so that the category those
 * children are in cannot be read off (docs/insight-figures.md).
 * Practitioners who run the service (insight:unsuppressed) see every number and may drill
 * through to the cases; anything meant for publication (the board report) is always suppressed.
 */

/**
 * How to show figures to one reader. `threshold`: counts from 1 to threshold - 1 are hidden when
 * `suppress`; `hideLoneCategory` (default on): a breakdown's zeros are hidden when its only
 * non-zero count is (the partnership's setting).
 */
export type DisclosureMode = { suppress: boolean; threshold: number; drill: boolean; hideLoneCategory?: boolean }

/** The key the added Total row carries (also passed to `hrefFor`). */
export const TOTAL_ROW_KEY = 'total'
/** A count column with this key is the sum of the row's other count columns: it is a margin too. */
export const TOTAL_COLUMN_KEY = 'total'

export function disclosureModeFor(
  actor: Pick<Actor, 'roles'>,
  opts: { threshold: number; publication: boolean; hideLoneCategory?: boolean },
): DisclosureMode {
  const probe: Actor = { id: '', partnershipId: '', agencyId: '', teamIds: [], roles: actor.roles }
  const unsuppressed = !opts.publication && canInPartnership(probe, 'insight:unsuppressed')
  return { suppress: !unsuppressed, threshold: opts.threshold, drill: unsuppressed, hideLoneCategory: opts.hideLoneCategory ?? true }
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })
const daysFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 })

/** "1,234": a whole number with thousands separators. */
export const formatCount = (n: number): string => numberFormat.format(n)

const notApplicable = (): ShownCell => ({ value: null, text: NOT_APPLICABLE_MARK, hidden: 'not-applicable' })
const hiddenCell = (hidden: Hidden): ShownCell => ({ value: null, text: SUPPRESSED_MARK, hidden })

/** A cell position in the grid of raw values (rows include the Total row when there is one). */
type Pos = { r: number; c: number }
/** A line of cells whose sum is published in its margin cell. */
type Line = { cells: Pos[]; margin: Pos }

/** The raw values, with the Total row appended when the figure asks for one. */
function rawGrid(figure: Figure): (number | null)[][] {
  const rows = figure.rows.map((row) => figure.columns.map((_, c) => row.values[c] ?? null))
  if (!figure.totalRow) return rows
  const total = figure.columns.map((column, c) => {
    if (column.kind !== 'count' && column.kind !== 'capacity') return null
    const present = rows.map((row) => row[c]).filter((v): v is number => v !== null)
    return present.length ? present.reduce((a, b) => a + b, 0) : null
  })
  return [...rows, total]
}

/** The margins: each count column's cell in the Total row; each row's cell in a 'total' count column. */
function marginLines(figure: Figure, grid: (number | null)[][]): Line[] {
  const countCols = figure.columns.flatMap((column, c) => (column.kind === 'count' ? [c] : []))
  const lines: Line[] = []
  if (figure.totalRow) {
    const t = grid.length - 1
    for (const c of countCols) lines.push({ cells: grid.slice(0, t).map((_, r) => ({ r, c })), margin: { r: t, c } })
  }
  const totalCol = figure.columns.findIndex((column) => column.kind === 'count' && column.key === TOTAL_COLUMN_KEY)
  if (totalCol >= 0) {
    const parts = countCols.filter((c) => c !== totalCol)
    if (parts.length) for (let r = 0; r < grid.length; r++) lines.push({ cells: parts.map((c) => ({ r, c })), margin: { r, c: totalCol } })
  }
  return lines
}

/**
 * The breakdowns: each count column over the figure's rows (the rows are always categories) and,
 * for a figure whose count columns are categories too (`categoryColumns`), each row over its
 * count columns but a 'total' one. The Total row is a margin, not a category.
 */
function categoryLines(figure: Figure): Pos[][] {
  const countCols = figure.columns.flatMap((column, c) => (column.kind === 'count' ? [c] : []))
  const dataRows = figure.rows.map((_, r) => r)
  const lines = countCols.map((c) => dataRows.map((r) => ({ r, c })))
  if (figure.categoryColumns) {
    const parts = countCols.filter((c) => figure.columns[c]!.key !== TOTAL_COLUMN_KEY)
    for (const r of dataRows) lines.push(parts.map((c) => ({ r, c })))
  }
  return lines
}

/**
 * Which count cells to hide. Primary: every count from 1 to threshold - 1. Secondary: in every
 * line whose total is shown, the hidden cells must be none, or at least two whose sum is at least
 * the threshold and more than their number (hidden cells are known to be at least 1, so k hidden
 * cells summing to k would each be 1). Otherwise the smallest shown non-zero cell of the line is
 * hidden too, or, when there is none, the total itself. And in every breakdown whose only
 * non-zero count is hidden, its zeros are hidden too (as 'suppressed': a zero is fewer than the
 * threshold, and it must look like the count it protects), or "[c] in one category, 0 in every
 * other" would say which category those children are in. Repeated until nothing changes.
 */
function suppressionPlan(figure: Figure, grid: (number | null)[][], threshold: number, hideLoneCategory = true): Map<string, Hidden> {
  const hidden = new Map<string, Hidden>()
  const id = (p: Pos) => `${p.r}:${p.c}`
  const value = (p: Pos) => grid[p.r]?.[p.c] ?? null
  figure.columns.forEach((column, c) => {
    if (column.kind !== 'count') return
    grid.forEach((row, r) => {
      const v = row[c]
      if (v !== null && v !== undefined && v >= 1 && v < threshold) hidden.set(id({ r, c }), 'suppressed')
    })
  })
  const lines = marginLines(figure, grid)
  const breakdowns = hideLoneCategory ? categoryLines(figure) : []
  let changed = true
  while (changed) {
    changed = false
    for (const line of breakdowns) {
      const nonZero = line.filter((p) => (value(p) ?? 0) > 0)
      if (nonZero.length !== 1 || !hidden.has(id(nonZero[0]!))) continue
      for (const p of line)
        if (value(p) === 0 && !hidden.has(id(p))) {
          hidden.set(id(p), 'suppressed')
          changed = true
        }
    }
    for (const line of lines) {
      if (value(line.margin) === null || hidden.has(id(line.margin))) continue
      const hid = line.cells.filter((p) => hidden.has(id(p)))
      if (hid.length === 0) continue
      const sum = hid.reduce((a, p) => a + (value(p) ?? 0), 0)
      if (hid.length >= 2 && sum >= threshold && sum > hid.length) continue
      const candidates = line.cells.filter((p) => !hidden.has(id(p)) && (value(p) ?? 0) > 0)
      candidates.sort((a, b) => (value(a) ?? 0) - (value(b) ?? 0) || a.r - b.r || a.c - b.c)
      const next = candidates[0] ?? line.margin
      hidden.set(id(next), 'secondary')
      changed = true
    }
  }
  return hidden
}

function shareCell(
  figure: Figure,
  grid: (number | null)[][],
  cells: ShownCell[],
  r: number,
  column: FigureColumn,
  mode: DisclosureMode,
): ShownCell {
  const n = figure.columns.findIndex((col) => col.key === column.of?.numerator)
  const d = figure.columns.findIndex((col) => col.key === column.of?.denominator)
  const num = n >= 0 ? (grid[r]?.[n] ?? null) : null
  const den = d >= 0 ? (grid[r]?.[d] ?? null) : null
  if (num === null || den === null || den === 0) return notApplicable()
  if (
    cells[n]?.hidden === 'suppressed' ||
    cells[n]?.hidden === 'secondary' ||
    cells[d]?.hidden === 'suppressed' ||
    cells[d]?.hidden === 'secondary'
  )
    return hiddenCell('secondary')
  if (mode.suppress && den < mode.threshold) return hiddenCell('suppressed')
  const percent = Math.round((num / den) * 100)
  return { value: percent, text: `${percent}%` }
}

function daysCell(
  figure: Figure,
  grid: (number | null)[][],
  cells: ShownCell[],
  r: number,
  c: number,
  column: FigureColumn,
  mode: DisclosureMode,
): ShownCell {
  const v = grid[r]?.[c] ?? null
  if (v === null) return notApplicable()
  const b = figure.columns.findIndex((col) => col.key === column.basis)
  if (mode.suppress) {
    const basis = b >= 0 ? (grid[r]?.[b] ?? null) : null
    const basisHidden = b >= 0 && (cells[b]?.hidden === 'suppressed' || cells[b]?.hidden === 'secondary')
    if (basisHidden) return hiddenCell('secondary')
    if (basis === null || basis < mode.threshold) return hiddenCell('suppressed')
  }
  const rounded = Math.round(v * 10) / 10
  return { value: rounded, text: daysFormat.format(rounded) }
}

/** The figure as this reader may see it: totals added, small counts hidden, links where allowed. */
export function applyDisclosure(
  figure: Figure,
  mode: DisclosureMode,
  hrefFor?: (rowKey: string, columnKey: string) => string | undefined,
): ShownFigure {
  const grid = rawGrid(figure)
  const plan = mode.suppress ? suppressionPlan(figure, grid, mode.threshold, mode.hideLoneCategory ?? true) : new Map<string, Hidden>()
  const keys = [
    ...figure.rows.map((row) => ({ key: row.key, label: row.label })),
    ...(figure.totalRow ? [{ key: TOTAL_ROW_KEY, label: 'Total' }] : []),
  ]
  const isTotal = (r: number) => figure.totalRow && r === grid.length - 1

  const rows: ShownRow[] = grid.map((values, r) => {
    // Counts and capacity first: derived columns depend on whether their sources are hidden.
    const cells: ShownCell[] = figure.columns.map((column, c) => {
      if (column.kind !== 'count' && column.kind !== 'capacity') return notApplicable()
      const v = values[c] ?? null
      if (v === null) return notApplicable()
      const hidden = plan.get(`${r}:${c}`)
      if (hidden) return hiddenCell(hidden)
      const cell: ShownCell = { value: v, text: formatCount(v) }
      if (column.kind === 'count' && mode.drill && figure.drillable && v > 0 && hrefFor) {
        const href = hrefFor(keys[r]!.key, column.key)
        if (href) cell.href = href
      }
      return cell
    })
    figure.columns.forEach((column, c) => {
      if (column.kind === 'share') cells[c] = shareCell(figure, grid, cells, r, column, mode)
      // A median cannot be worked out from the rows' medians: the Total row shows none.
      if (column.kind === 'days') cells[c] = isTotal(r) ? notApplicable() : daysCell(figure, grid, cells, r, c, column, mode)
    })
    const row: ShownRow = { key: keys[r]!.key, label: keys[r]!.label, cells }
    if (isTotal(r)) row.isTotal = true
    return row
  })

  const anySuppressed = rows.some((row) => row.cells.some((cell) => cell.hidden === 'suppressed' || cell.hidden === 'secondary'))
  return {
    id: figure.id,
    title: figure.title,
    description: figure.description,
    rowHeading: figure.rowHeading,
    columns: figure.columns,
    totalRow: figure.totalRow,
    drillable: figure.drillable,
    rows,
    anySuppressed,
    threshold: mode.suppress ? mode.threshold : null,
  }
}
