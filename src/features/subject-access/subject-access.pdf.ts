import PDFDocument from 'pdfkit'
import { londonDate } from '../../platform/clocks/london-time.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { bundleOf } from './subject-access.presenter.js'

export type SubjectAccessPdfInput = {
  reference: string
  /** Who the information is about, as the cover says it. */
  about: string
  receivedOn: Date
  marking: string
  generatedAt: Date
  /** The bundle as released: redactions already "[Redacted: …]" blocks (the redacted words are never passed in). */
  bundle: ReturnType<typeof bundleOf>
}

/** The file's name: the request's reference and the day it was produced (no personal data). */
export const subjectAccessFileName = (reference: string, at: Date) => `${reference}-${londonDate(at)}.pdf`

const MARGIN = 50

/**
 * The released bundle as a PDF (pdfkit, as the chronology's): the protective marking at the top
 * and foot of every page, the page number, the request's reference and the date it was produced
 * on every page, then each item as released. The metadata names only the reference.
 */
export function renderSubjectAccessPdf(input: SubjectAccessPdfInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN + 10, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
      bufferPages: true,
      info: { Title: `Subject access request ${input.reference}`, Subject: input.reference, Creator: 'HSB Pathway' },
    })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    doc.font('Helvetica-Bold').fontSize(18).text('Information we hold')
    doc.font('Helvetica-Bold').fontSize(12).text(`Subject access request ${input.reference}`)
    doc.moveDown(0.3)
    doc.font('Helvetica').fontSize(10).fillColor('#505a5f')
    doc.text(`About: ${input.about}. Request received ${formatDate(input.receivedOn)}. Produced ${formatDateTime(input.generatedAt)}.`)
    doc.text(
      'Where information about someone else, or information a partner agency asked us to withhold, has been removed, it is shown as [Redacted: the reason].',
    )
    doc.fillColor('black').moveDown()
    for (const group of input.bundle) {
      doc.font('Helvetica-Bold').fontSize(14).text(group.heading)
      doc.moveDown(0.3)
      for (const item of group.items) {
        doc
          .font('Helvetica-Bold')
          .fontSize(11)
          .text(`${item.title}${item.when ? ` · ${item.when}` : ''}`)
        if (item.withheld) doc.font('Helvetica-Oblique').fontSize(10).text(item.withheld)
        for (const field of item.fields) {
          doc.font('Helvetica-Bold').fontSize(9).text(field.label)
          doc
            .font(field.redacted ? 'Helvetica-Oblique' : 'Helvetica')
            .fontSize(10)
            .text(field.value)
        }
        doc.moveDown(0.6)
      }
      doc.moveDown(0.4)
    }

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
        .text(`${input.reference} · produced ${formatDate(input.generatedAt)}`, MARGIN, doc.page.height - 35, {
          width,
          align: 'left',
          lineBreak: false,
        })
      doc.text(`Page ${i - start + 1} of ${count}`, MARGIN, doc.page.height - 35, { width, align: 'right', lineBreak: false })
      doc.page.margins.bottom = bottom
    }
    doc.end()
  })
}
