import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import type { Block, ReportDocument } from './report.rules.js'

/** The board report as a Word document: the document model, block by block. */

function cell(text: string, opts: { bold?: boolean; fill?: string; numeric?: boolean }) {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: opts.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [new TextRun({ text, bold: opts.bold ?? false })],
      }),
    ],
    ...(opts.fill ? { shading: { type: ShadingType.CLEAR, fill: opts.fill, color: 'auto' } } : {}),
  })
}

function table(b: Extract<Block, { kind: 'table' }>): (Paragraph | Table)[] {
  return [
    new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: b.header.map((h, i) => cell(h, { bold: true, fill: 'F3F2F1', numeric: b.numeric[i] ?? false })),
        }),
        ...b.rows.map((r) => new TableRow({ children: r.cells.map((c, i) => cell(c, { bold: r.total, numeric: b.numeric[i] ?? false })) })),
      ],
    }),
    new Paragraph({ text: '' }),
  ]
}

function block(b: Block): (Paragraph | Table)[] {
  if (b.kind === 'heading')
    return [new Paragraph({ heading: b.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, children: [new TextRun(b.text)] })]
  if (b.kind === 'table') return table(b)
  const lines = b.text.split('\n')
  const run = (text: string, i: number) =>
    new TextRun({
      text,
      bold: b.tone === 'summary',
      italics: b.tone === 'muted' || b.tone === 'note',
      color: b.tone === 'muted' ? '505A5F' : undefined,
      break: i > 0 ? 1 : undefined,
    })
  return [new Paragraph({ children: lines.map(run) })]
}

export async function reportDocx(doc: ReportDocument): Promise<Buffer> {
  const file = new Document({
    creator: 'HSB Pathway',
    title: doc.title,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.title)] }),
          ...doc.meta.map((m) => new Paragraph({ children: [new TextRun(m)] })),
          ...doc.blocks.flatMap(block),
        ],
      },
    ],
  })
  return Packer.toBuffer(file)
}
