import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import PDFDocument from 'pdfkit'
import { formatDate } from '../../platform/http/format.js'
import { inWords, panelDayOf } from './case-audits.rules.js'
import type { CaseAuditReport } from './case-audits.service.js'

/**
 * The executive summary, shaped like a partnership's own multi-agency case audit summary:
 * introduction, the audit, the process (numbers from the records), good practice, learning,
 * recommendations with whom and when, and the deep dive's conclusions. One model, three
 * renderings: the HTML page, DOCX and PDF.
 */
export type ReportSection = {
  heading: string
  paragraphs: string[]
  bullets: string[]
  table?: { head: string[]; rows: string[][] }
  sub?: ReportSection[]
}
export type ReportModel = { title: string; subtitle: string[]; sections: ReportSection[] }

type Rec = CaseAuditReport['recommendations'][number]
const whom = (r: Rec) =>
  [r.allAgencies ? 'All agencies taking part' : (r.ownerAgencyName ?? ''), r.ownerText ?? ''].filter(Boolean).join(': ')
const recTable = (recs: Rec[]) => ({
  head: ['Recommendation', 'Whom', 'When'],
  rows: recs.map((r) => [r.text, whom(r), formatDate(r.dueOn)]),
})
const list = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`)
const cases = (n: number) => `${inWords(n)} ${n === 1 ? 'case' : 'cases'}`

export function reportModel(r: CaseAuditReport): ReportModel {
  const n = r.numbers
  const a = r.audit
  const tagged = r.learning.filter((f) => f.tags.length)
  const themeCounts = new Map<string, number>()
  for (const f of tagged) for (const t of f.tags) themeCounts.set(t, (themeCounts.get(t) ?? 0) + 1)
  const sections: ReportSection[] = [
    {
      heading: '1. Introduction',
      paragraphs: [
        `${r.partnership || 'The partnership'} runs multi-agency case audits to quality assure safeguarding practice across its partner agencies, through joint audits of case files with the practitioners involved, and to identify lessons to be learned.`,
        'The audits are qualitative: a window on the system that shows the strengths of practice and the areas for development across the partnership.',
      ],
      bullets: [],
    },
    {
      heading: '2. The audit',
      paragraphs: [
        ...(a.purpose ? [a.purpose] : []),
        `${inWords(n.selected, true)} ${n.selected === 1 ? 'case was' : 'cases were'} selected at random from a cohort of ${n.cohort} ${n.cohort === 1 ? 'case' : 'cases'}${a.cohortFilter ? ` open on ${formatDate(a.cohortFilter.openOn)}` : ''}${a.seed !== null ? ` (random seed ${a.seed}, recorded so the selection can be reproduced)` : ''}.` +
          (n.replacements
            ? ` ${inWords(n.replacements, true)} replacement ${n.replacements === 1 ? 'draw was' : 'draws were'} made when a family declined.`
            : '') +
          ` Consent was obtained from ${inWords(n.consented)} ${n.consented === 1 ? 'family' : 'families'} for their case to form part of the audit${n.refused ? `; ${inWords(n.refused)} declined` : ''}.`,
      ],
      bullets: [],
    },
    {
      heading: '3. The process',
      paragraphs: [
        `${inWords(n.takingPart, true)} lead ${n.takingPart === 1 ? 'auditor' : 'auditors'} from key agencies took part and facilitated the audit for their agency: ${list(r.takingPart.map((x) => x.agencyName))}.` +
          (r.unable.length
            ? ` ${list(r.unable.map((x) => x.agencyName))} ${r.unable.length === 1 ? 'was' : 'were'} unable to take part.`
            : ''),
        `A summary sheet of each audit was requested from every lead auditor: ${n.summarySheets} ${n.summarySheets === 1 ? 'was' : 'were'} completed, ${n.withFeedback} with parental or child feedback.` +
          // When the panel met, as recorded; until then, the date it is planned for.
          (a.panelHeldAt
            ? ` The panel met on ${formatDate(a.panelHeldAt)}, where ${inWords(n.discussed)} of the ${inWords(n.consented)} ${n.consented === 1 ? 'case was' : 'cases were'} discussed and learning identified.`
            : ` The panel is planned for ${formatDate(a.panelDate)}.`),
        ...(a.panelNotes ? [a.panelNotes] : []),
      ],
      bullets: [],
      ...(r.unable.length
        ? { table: { head: ['Agency unable to take part', 'Reason'], rows: r.unable.map((x) => [x.agencyName, x.reason ?? '']) } }
        : {}),
    },
    {
      heading: '4. Summary of good practice',
      paragraphs: r.goodPractice.length ? [] : ['None recorded.'],
      bullets: r.goodPractice.map((f) => f.text),
    },
    {
      heading: '5. Summary of identified learning and themes',
      paragraphs: [
        ...(r.learning.length ? [] : ['None recorded.']),
        ...(themeCounts.size ? [`Themes: ${[...themeCounts].map(([t, c]) => `${t} (${c})`).join(', ')}.`] : []),
      ],
      bullets: r.learning.map((f) => f.text),
    },
    {
      heading: '6. Multi-agency case audit recommendations',
      paragraphs: r.recommendations.length ? [] : ['None recorded.'],
      bullets: [],
      ...(r.recommendations.length ? { table: recTable(r.recommendations) } : {}),
    },
  ]
  if (r.deepDives.length) {
    sections.push({
      heading: '7. Secondary review: deep dive',
      paragraphs: [],
      bullets: [],
      sub: r.deepDives.flatMap((d, i) => [
        {
          heading: `7.${i * 2 + 1} ${d.audit.theme}`,
          paragraphs: [
            ...(d.audit.purpose ? [d.audit.purpose] : []),
            `A further deep dive into ${cases(d.cases)}, undertaken by ${list(d.agencies.map((x) => `${x.leadAuditorName ?? 'the lead auditor'} (${x.agencyName})`))}, using the audit tool “${d.audit.toolName}”.`,
            'Conclusions:',
          ],
          bullets: d.conclusions.map((f) => f.text),
        },
        {
          heading: `7.${i * 2 + 2} Recommendations`,
          paragraphs: d.recommendations.length ? [] : ['None recorded.'],
          bullets: [],
          ...(d.recommendations.length ? { table: recTable(d.recommendations) } : {}),
        },
      ]),
    })
  }
  return {
    title: `${r.partnership}: multi-agency case audit`,
    subtitle: [`Executive summary`, `Theme: ${a.theme}`, `Panel date: ${formatDate(panelDayOf(a))}`],
    sections,
  }
}

export function reportFileName(r: CaseAuditReport, ext: 'docx' | 'pdf'): string {
  return `case-audit-${r.audit.panelDate.toISOString().slice(0, 10)}-${r.audit.id.slice(0, 8)}.${ext}`
}

export async function reportDocx(r: CaseAuditReport): Promise<Buffer> {
  const m = reportModel(r)
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: m.title, heading: HeadingLevel.TITLE }),
    ...m.subtitle.map((s) => new Paragraph({ children: [new TextRun({ text: s, bold: true })] })),
  ]
  const add = (s: ReportSection, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => {
    children.push(new Paragraph({ text: s.heading, heading: level }))
    for (const p of s.paragraphs) children.push(new Paragraph({ text: p }))
    for (const b of s.bullets) children.push(new Paragraph({ text: b, bullet: { level: 0 } }))
    if (s.table) {
      const row = (cells: string[], bold = false) =>
        new TableRow({
          children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold })] })] })),
        })
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [row(s.table.head, true), ...s.table.rows.map((x) => row(x))],
        }),
      )
    }
    for (const sub of s.sub ?? []) add(sub, HeadingLevel.HEADING_2)
  }
  for (const s of m.sections) add(s, HeadingLevel.HEADING_1)
  children.push(new Paragraph({ text: `Produced ${formatDate(new Date())}.`, alignment: AlignmentType.RIGHT }))
  return Packer.toBuffer(new Document({ creator: 'HSB Pathway', title: m.title, sections: [{ children }] }))
}

export function reportPdf(r: CaseAuditReport): Promise<Buffer> {
  const m = reportModel(r)
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: m.title, Author: 'HSB Pathway' } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.font('Helvetica-Bold').fontSize(18).text(m.title)
    for (const s of m.subtitle) doc.font('Helvetica-Bold').fontSize(12).text(s)
    const add = (s: ReportSection, size: number) => {
      doc.moveDown().font('Helvetica-Bold').fontSize(size).text(s.heading)
      doc.font('Helvetica').fontSize(11)
      for (const p of s.paragraphs) doc.moveDown(0.4).text(p)
      for (const b of s.bullets) doc.moveDown(0.2).text(`•  ${b}`, { indent: 10 })
      if (s.table) {
        doc.moveDown(0.4).font('Helvetica-Bold').text(s.table.head.join('  |  '))
        doc.font('Helvetica')
        for (const row of s.table.rows) doc.moveDown(0.2).text(row.join('  |  '))
      }
      for (const sub of s.sub ?? []) add(sub, 12)
    }
    for (const s of m.sections) add(s, 14)
    doc.end()
  })
}
