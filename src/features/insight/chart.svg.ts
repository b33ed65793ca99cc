import { escapeHtml } from '../../platform/http/html.js'
import { NOT_APPLICABLE_MARK, SUPPRESSED_MARK, type ShownCell, type ShownFigure } from './insight.figures.js'

/**
 * A server-side SVG bar chart of one column of a figure: works without JavaScript, carries its
 * own text alternative (<title> and <desc>), and needs no inline styles (the CSP forbids them):
 * only presentation attributes and classes. Pure string building; every text is escaped (the one `escapeHtml`: its entities are XML's too).
 */

/** An id safe in XML and CSS selectors, from a figure id. */
export function chartId(figureId: string): string {
  return `chart-${figureId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80)}`
}

/** Long labels are cut to this many characters (with an ellipsis); the full label is in the row's <title>. */
export const LABEL_MAX = 28

export function truncateLabel(label: string, max = LABEL_MAX): string {
  const chars = [...label]
  return chars.length <= max
    ? label
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
}

// GOV.UK colours: blue bars, black text, dark grey for the suppressed placeholder, mid grey axis.
const BAR = '#1d70b8'
const TEXT = '#0b0c0c'
const HATCH = '#505a5f'
const AXIS = '#b1b4b6'
const FONT = 'GDS Transport, arial, sans-serif'

export const CHART_WIDTH = 700
export const LABEL_WIDTH = 260
export const BAR_AREA = 350
const ROW_HEIGHT = 36
const BAR_HEIGHT = 22
const PAD = 8
/** A suppressed value gets a fixed-width placeholder, which says nothing about its size. */
export const PLACEHOLDER_WIDTH = 44

/** "Rating" → "rating", but "HSB rating" stays as it is. */
const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text)

const isSuppressed = (cell: ShownCell | undefined) => cell?.hidden === 'suppressed' || cell?.hidden === 'secondary'

function describe(label: string, cell: ShownCell | undefined): string {
  if (!cell || cell.hidden === 'not-applicable' || cell.value === null) {
    return isSuppressed(cell) ? `${label} ${SUPPRESSED_MARK} (suppressed)` : `${label} not applicable`
  }
  return `${label} ${cell.text}`
}

function open(id: string, height: number, title: string, desc: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-insight-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" font-family="${FONT}">`,
    `<title id="${id}-title">${escapeHtml(title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(desc)}</desc>`,
  ].join('')
}

/** A horizontal bar chart of one column (default: the first count column), without the Total row. */
export function barChartSvg(figure: ShownFigure, opts: { column?: string } = {}): string {
  const id = chartId(figure.id)
  let c =
    opts.column === undefined
      ? figure.columns.findIndex((col) => col.kind === 'count')
      : figure.columns.findIndex((col) => col.key === opts.column)
  if (c < 0) c = 0
  const column = figure.columns[c]
  const rows = figure.rows.filter((row) => !row.isTotal)
  const isDefault = c === figure.columns.findIndex((col) => col.kind === 'count')
  const title = `Bar chart: ${figure.title}${column && !isDefault ? `, ${column.label}` : ''}`

  if (!column || rows.length === 0) {
    const height = 60
    return `${open(id, height, title, 'No data for this period.')}<text x="${PAD}" y="36" fill="${TEXT}" font-size="19">No data for this period</text></svg>`
  }

  const cells = rows.map((row) => row.cells[c])
  const desc = `${column.label} by ${lowerFirst(figure.rowHeading)}: ${rows.map((row, i) => describe(row.label, cells[i])).join(', ')}.`
  const shown = cells.flatMap((cell) => (cell && !cell.hidden && cell.value !== null ? [cell.value] : []))
  const max = column.kind === 'share' ? Math.max(100, ...shown) : Math.max(0, ...shown)
  const height = rows.length * ROW_HEIGHT + PAD * 2

  const parts = [
    open(id, height, title, desc),
    `<defs><pattern id="${id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="8" stroke="${HATCH}" stroke-width="3"/></pattern></defs>`,
  ]
  rows.forEach((row, i) => {
    const cell = cells[i]
    const top = PAD + i * ROW_HEIGHT
    const barY = top + (ROW_HEIGHT - BAR_HEIGHT) / 2
    const textY = top + ROW_HEIGHT / 2 + 6
    const label = truncateLabel(row.label)
    const suppressed = isSuppressed(cell)
    const classes = ['app-insight-chart__row', suppressed ? 'app-insight-chart__row--suppressed' : ''].filter(Boolean).join(' ')
    const g = [`<g class="${classes}"><title>${escapeHtml(describe(row.label, cell))}</title>`]
    g.push(`<text x="${LABEL_WIDTH - PAD}" y="${textY}" text-anchor="end" fill="${TEXT}" font-size="16">${escapeHtml(label)}</text>`)
    if (suppressed) {
      g.push(
        `<rect class="app-insight-chart__placeholder" x="${LABEL_WIDTH}" y="${barY}" width="${PLACEHOLDER_WIDTH}" height="${BAR_HEIGHT}" fill="url(#${id}-hatch)" stroke="${HATCH}" stroke-width="2"/>`,
      )
      g.push(
        `<text x="${LABEL_WIDTH + PLACEHOLDER_WIDTH + 6}" y="${textY}" fill="${TEXT}" font-size="16">${escapeHtml(SUPPRESSED_MARK)}</text>`,
      )
    } else if (!cell || cell.value === null) {
      g.push(
        `<text x="${LABEL_WIDTH + 6}" y="${textY}" fill="${TEXT}" font-size="16">${escapeHtml(cell?.text ?? NOT_APPLICABLE_MARK)}</text>`,
      )
    } else {
      const width = max > 0 ? Math.round((Math.max(0, cell.value) / max) * BAR_AREA * 100) / 100 : 0
      g.push(`<rect class="app-insight-chart__bar" x="${LABEL_WIDTH}" y="${barY}" width="${width}" height="${BAR_HEIGHT}" fill="${BAR}"/>`)
      g.push(
        `<text x="${LABEL_WIDTH + width + 6}" y="${textY}" fill="${TEXT}" font-size="16" font-weight="bold">${escapeHtml(cell.text)}</text>`,
      )
    }
    g.push('</g>')
    parts.push(g.join(''))
  })
  parts.push(`<line x1="${LABEL_WIDTH}" y1="${PAD / 2}" x2="${LABEL_WIDTH}" y2="${height - PAD / 2}" stroke="${AXIS}" stroke-width="1"/>`)
  parts.push('</svg>')
  return parts.join('')
}
