import PDFDocument from 'pdfkit'
import { layoutLines, type LayoutLine, type ReportDocument } from './report.rules.js'

/**
 * The board report as a PDF: the document model's layout lines (report.rules.ts `layoutLines`,
 * which the tests read) written one by one. Tables are drawn cell by cell at fixed column widths.
 */
export function reportPdf(doc: ReportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: doc.title, Subject: 'Annual HSB report', Creator: 'HSB Pathway' },
    })
    const chunks: Buffer[] = []
    pdf.on('data', (c: Buffer) => chunks.push(c))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
    const left = pdf.page.margins.left
    const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right

    const row = (line: Extract<LayoutLine, { style: 'row' }>) => {
      pdf.font(line.header || line.total ? 'Helvetica-Bold' : 'Helvetica').fontSize(9)
      const cols = line.widths.map((w) => w * width)
      const height = Math.max(...line.cells.map((c, i) => pdf.heightOfString(c, { width: cols[i]! - 6 }))) + 6
      if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
      const top = pdf.y
      if (line.header) pdf.rect(left, top, width, height).fill('#f3f2f1').fillColor('black')
      let x = left
      line.cells.forEach((text, i) => {
        pdf.text(text, x + 3, top + 3, { width: cols[i]! - 6, align: line.numeric[i] ? 'right' : 'left', lineBreak: true })
        x += cols[i]!
      })
      pdf
        .moveTo(left, top + height)
        .lineTo(left + width, top + height)
        .lineWidth(0.5)
        .strokeColor('#b1b4b6')
        .stroke()
      pdf.x = left
      pdf.y = top + height
    }

    for (const line of layoutLines(doc)) {
      if (line.style === 'row') {
        row(line)
        continue
      }
      pdf.x = left
      const styles: Record<typeof line.style, { font: string; size: number; colour: string; before: number; after: number }> = {
        title: { font: 'Helvetica-Bold', size: 20, colour: 'black', before: 0, after: 0.4 },
        meta: { font: 'Helvetica', size: 10, colour: '#505a5f', before: 0, after: 0.1 },
        h1: { font: 'Helvetica-Bold', size: 16, colour: 'black', before: 1, after: 0.3 },
        h2: { font: 'Helvetica-Bold', size: 12, colour: 'black', before: 0.6, after: 0.2 },
        body: { font: 'Helvetica', size: 11, colour: 'black', before: 0, after: 0.4 },
        muted: { font: 'Helvetica-Oblique', size: 10, colour: '#505a5f', before: 0, after: 0.3 },
        summary: { font: 'Helvetica-Bold', size: 10, colour: 'black', before: 0, after: 0.3 },
        note: { font: 'Helvetica-Oblique', size: 9, colour: '#505a5f', before: 0.3, after: 0.3 },
        caption: { font: 'Helvetica-Bold', size: 10, colour: 'black', before: 0.2, after: 0.2 },
      }
      const s = styles[line.style]
      if (s.before) pdf.moveDown(s.before)
      pdf.font(s.font).fontSize(s.size).fillColor(s.colour).text(line.text, left, pdf.y, { width })
      pdf.fillColor('black')
      if (s.after) pdf.moveDown(s.after)
    }
    pdf.end()
  })
}
