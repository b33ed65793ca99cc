import PDFDocument from 'pdfkit'
import { londonDate } from '../../platform/clocks/london-time.js'
import { formatDateTime } from '../../platform/http/format.js'
import { recordedText, whenOf, whoOf } from './chronology.presenter.js'
import { summaryOf, TYPE_LABELS, type ChronologyEntry } from './chronology.rules.js'

export type PdfInput = {
  /** The case in words people use (never its id): see `caseReference`. */
  reference: string
  /** The protective marking, at the top and foot of every page. */
  marking: string
  entries: ChronologyEntry[]
  generatedAt: Date
  filterText: string
}

export const entryCountText = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`

/** The file's name: when it was printed, with no personal data and no record id (a download folder is not secure). */
export const pdfFileName = (generatedAt: Date) => `chronology-printed-${londonDate(generatedAt)}.pdf`

const MARGIN = 50

/**
 * The chronology as a PDF: the protective marking at the top and foot of every page (with the
 * page number), the case by its reference, what it shows, then each entry: when it happened, its
 * kind, what happened with its outcome, more about it, and who recorded it and when. The
 * document's metadata names only the number of entries (no personal data).
 */
export function renderChronologyPdf(input: PdfInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: 'Case chronology', Subject: `Chronology: ${entryCountText(input.entries.length)}`, Creator: 'HSB Pathway' },
    })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    doc.font('Helvetica-Bold').fontSize(18).text('Chronology')
    doc.font('Helvetica-Bold').fontSize(12).text(input.reference)
    doc.moveDown(0.3)
    doc.font('Helvetica').fontSize(10).fillColor('#505a5f')
    doc.text(`Printed ${formatDateTime(input.generatedAt)}. ${input.filterText}`)
    doc.text(`${entryCountText(input.entries.length)}. ${input.marking}: about a child. Handle with care.`)
    doc.fillColor('black').moveDown()
    for (const e of input.entries) {
      const significant = e.significance === 'SIGNIFICANT' ? ' · Significant' : ''
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .text(`${whenOf(e)} · ${TYPE_LABELS[e.type]}${significant}`)
      doc.font('Helvetica-Bold').fontSize(12).text(summaryOf(e))
      if (e.text) doc.font('Helvetica').fontSize(10).text(e.text)
      const who = whoOf(e)
      const recorded = recordedText(e)
      if (who || recorded)
        doc
          .font('Helvetica-Oblique')
          .fontSize(9)
          .text([who ? `Recorded by ${who}.` : '', recorded].filter(Boolean).join(' '))
      doc.moveDown(0.8)
    }

    // The marking and page number on every page, in the margins (written last, when the pages are known).
    const { start, count } = doc.bufferedPageRange()
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i)
      const width = doc.page.width - 2 * MARGIN
      const bottom = doc.page.margins.bottom
      doc.page.margins.bottom = 0
      doc.font('Helvetica-Bold').fontSize(9).fillColor('black')
      doc.text(input.marking, MARGIN, 20, { width, align: 'center', lineBreak: false })
      doc.text(input.marking, MARGIN, doc.page.height - 35, { width, align: 'center', lineBreak: false })
      doc
        .font('Helvetica')
        .text(`Page ${i - start + 1} of ${count}`, MARGIN, doc.page.height - 35, { width, align: 'right', lineBreak: false })
      doc.page.margins.bottom = bottom
    }
    doc.end()
  })
}
