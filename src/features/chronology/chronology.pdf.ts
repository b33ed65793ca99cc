import PDFDocument from 'pdfkit'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { TYPE_LABELS, type ChronologyEntry } from './chronology.rules.js'

export type PdfInput = { childName: string; caseId: string; entries: ChronologyEntry[]; generatedAt: Date; filterText: string }

export const entryCountText = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`

/**
 * The chronology as a PDF: a heading, what it shows, then each entry with its date, type,
 * title, who and text, in the order asked for. The document's subject names only the number
 * of entries (no personal data in its metadata).
 */
export function renderChronologyPdf(input: PdfInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: 'Case chronology', Subject: `Chronology: ${entryCountText(input.entries.length)}`, Creator: 'HSB Pathway' },
    })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    doc.font('Helvetica-Bold').fontSize(18).text(`Chronology: ${input.childName}`)
    doc.moveDown(0.3)
    doc.font('Helvetica').fontSize(10).fillColor('#505a5f')
    doc.text(`Case reference ${input.caseId}. Printed ${formatDateTime(input.generatedAt)}. ${input.filterText}`)
    doc.text(`${entryCountText(input.entries.length)}. OFFICIAL-SENSITIVE: about a child. Handle with care.`)
    doc.fillColor('black').moveDown()
    for (const e of input.entries) {
      const when = e.dateOnly ? formatDate(e.at) : formatDateTime(e.at)
      doc.font('Helvetica-Bold').fontSize(11).text(`${when} · ${TYPE_LABELS[e.type]}`)
      doc.font('Helvetica-Bold').fontSize(12).text(e.title)
      if (e.by) doc.font('Helvetica-Oblique').fontSize(10).text(`by ${e.by}`)
      if (e.text) doc.font('Helvetica').fontSize(10).text(e.text)
      doc.moveDown(0.8)
    }
    doc.end()
  })
}
