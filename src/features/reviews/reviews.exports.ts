import {
  AlignmentType,
  Document,
  HeadingLevel,
  PageOrientation,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import ExcelJS from 'exceljs'
import { BOARD_PLAN_COLUMNS } from './imported-plan.js'
import {
  REVIEW_KINDS,
  boardRows,
  escapeFormula,
  ukShortDate,
  type PlanFinding,
  type PlanSummary,
  type RagEntry,
  type ReviewKind,
} from './reviews.rules.js'

/** The board's report as at a date, as DOCX and XLSX. Every cell is text; formulas are escaped. */

export type ReportData = {
  review: { name: string; kind: string; reviewDate: string | null }
  asAt: string
  plan: PlanFinding[]
  ragKey: RagEntry[]
  summary: PlanSummary
}

/** A file name with no personal data: the kind of review, the report date and a short id. */
export function reportFileName(reviewId: string, asAt: string, ext: 'docx' | 'xlsx'): string {
  return `action-plan-${reviewId.slice(0, 8)}-as-at-${asAt}.${ext}`
}

const kindLabel = (kind: string) => REVIEW_KINDS[kind as ReviewKind] ?? kind

/** GOV.UK tag colours as fills, for the RAG column. */
const FILL: Record<string, string> = {
  grey: 'E5E6E7',
  green: 'CCE2D8',
  turquoise: 'BFE3E0',
  blue: 'BBD4EA',
  'light-blue': 'D2E2F1',
  purple: 'DBD5E9',
  pink: 'EFD4E2',
  red: 'F4CDC6',
  orange: 'FCD6C3',
  yellow: 'FFF7BF',
}

function lines(text: string, bold = false): Paragraph[] {
  return (text || '').split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }))
}

function cell(text: string, opts: { bold?: boolean; fill?: string } = {}) {
  return new TableCell({
    children: lines(text, opts.bold),
    ...(opts.fill ? { shading: { type: ShadingType.CLEAR, fill: opts.fill, color: 'auto' } } : {}),
  })
}

function table(header: readonly string[], rows: string[][], fills: (string | undefined)[][] = []) {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true, fill: 'F3F2F1' })) }),
      ...rows.map((r, i) => new TableRow({ children: r.map((c, j) => cell(c, { ...(fills[i]?.[j] ? { fill: fills[i]![j]! } : {}) })) })),
    ],
  })
}

export async function reportDocx(data: ReportData): Promise<Buffer> {
  const rows = boardRows(data.plan, data.ragKey)
  const colourOf = new Map(data.ragKey.map((e) => [e.label, FILL[e.colour]]))
  const planRows = rows.map((r) => [
    r.finding,
    r.question,
    r.agency,
    r.response,
    r.action,
    r.overdue ? `${r.rag}${r.rag ? ' ' : ''}(overdue)` : r.rag,
    r.constraints,
    r.targetEvidence,
    r.lead,
    r.desiredOutcome,
  ])
  const planFills = rows.map((r) => [undefined, undefined, undefined, undefined, undefined, colourOf.get(r.rag)])
  const doc = new Document({
    creator: 'HSB Pathway',
    title: `Action plan progress report as at ${ukShortDate(data.asAt)}`,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(data.review.name)] }),
          new Paragraph({
            children: [
              new TextRun(`${kindLabel(data.review.kind)}${data.review.reviewDate ? `, ${ukShortDate(data.review.reviewDate)}` : ''}`),
            ],
          }),
          new Paragraph({ children: [new TextRun({ text: `Progress as at ${ukShortDate(data.asAt)}`, bold: true })] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('RAG key')] }),
          table(
            ['Status', 'Meaning'],
            data.ragKey.map((e) => [e.label, e.meaning]),
            data.ragKey.map((e) => [FILL[e.colour]]),
          ),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Summary')] }),
          new Paragraph({ children: [new TextRun(`${data.summary.total} actions, ${data.summary.overdue} overdue.`)] }),
          table(
            ['Status', 'Actions'],
            data.summary.byRag.map((r) => [r.label, String(r.count)]),
          ),
          new Paragraph({ text: '' }),
          table(
            ['Agency', 'Actions', ...data.ragKey.map((e) => e.label), 'Overdue'],
            data.summary.byAgency.map((a) => [
              a.agencyName,
              String(a.total),
              ...data.ragKey.map((e) => String(a.counts[e.key] ?? 0)),
              String(a.overdue),
            ]),
          ),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Action plan')] }),
          rows.length
            ? table(BOARD_PLAN_COLUMNS, planRows, planFills)
            : new Paragraph({ text: 'Nothing was recorded in this plan by this date.', alignment: AlignmentType.LEFT }),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}

/** Writes a row of text cells: formula-like text gets its apostrophe, and nothing is a formula. */
function textRow(sheet: ExcelJS.Worksheet, values: string[]) {
  const row = sheet.addRow(values.map((v) => escapeFormula(v)))
  row.eachCell((c) => {
    c.numFmt = '@'
    c.alignment = { wrapText: true, vertical: 'top' }
  })
  return row
}

export async function reportXlsx(data: ReportData): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = 'HSB Pathway'
  const plan = book.addWorksheet('Action plan', { views: [{ state: 'frozen', ySplit: 1 }] })
  const header = textRow(plan, [...BOARD_PLAN_COLUMNS])
  header.font = { bold: true }
  plan.columns = BOARD_PLAN_COLUMNS.map((_, i) => ({ width: [24, 36, 24, 40, 40, 12, 30, 24, 20, 30][i] }))
  const fills = new Map(data.ragKey.map((e) => [e.label, FILL[e.colour]]))
  for (const r of boardRows(data.plan, data.ragKey)) {
    const row = textRow(plan, [
      r.finding,
      r.question,
      r.agency,
      r.response,
      r.action,
      r.rag,
      r.constraints,
      r.targetEvidence,
      r.lead,
      r.desiredOutcome,
    ])
    const fill = fills.get(r.rag)
    if (fill) row.getCell(6).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${fill}` } }
  }
  const key = book.addWorksheet('RAG key')
  textRow(key, ['Key', 'Status', 'Meaning', 'Colour']).font = { bold: true }
  for (const e of data.ragKey) textRow(key, [e.key, e.label, e.meaning, e.colour])
  const summary = book.addWorksheet('Summary')
  textRow(summary, ['Review', data.review.name])
  textRow(summary, ['As at', ukShortDate(data.asAt)])
  textRow(summary, ['Actions', String(data.summary.total)])
  textRow(summary, ['Overdue', String(data.summary.overdue)])
  textRow(summary, [])
  textRow(summary, ['Agency', 'Actions', ...data.ragKey.map((e) => e.label), 'Overdue']).font = { bold: true }
  for (const a of data.summary.byAgency)
    textRow(summary, [a.agencyName, String(a.total), ...data.ragKey.map((e) => String(a.counts[e.key] ?? 0)), String(a.overdue)])
  return Buffer.from(await book.xlsx.writeBuffer())
}
