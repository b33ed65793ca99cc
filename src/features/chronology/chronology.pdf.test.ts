import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { pdfFileName, renderChronologyPdf } from './chronology.pdf.js'
import type { ChronologyEntry } from './chronology.rules.js'

/** The strings pdfkit wrote (each text call's TJ, hex-encoded WinAnsi) from the PDF's compressed content streams, page by page. */
function pdfPages(pdf: Buffer): string[][] {
  const raw = pdf.toString('latin1')
  const pages: string[][] = []
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length
    let content: string
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1')
    } catch {
      continue
    }
    const strings = [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((tj) =>
      [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''),
    )
    if (strings.length) pages.push(strings)
  }
  return pages
}

const CASE_ID = '3f1c2b9e-1111-4222-8333-444455556666'
const entry = (i: number): ChronologyEntry => ({
  type: 'EVENT',
  at: new Date(Date.UTC(2026, 0, 5, 10, i)),
  dateOnly: false,
  title: `Step ${i}`,
  outcome: 'rated amber',
  text: 'Some words about what happened. '.repeat(4),
  by: 'Sam Worker',
  agency: 'Fixture Police',
  agencies: ['Fixture Police'],
  recordedAt: new Date(Date.UTC(2026, 0, 8, 15, 30)),
  lateReason: 'the worker was on leave',
  significance: 'SIGNIFICANT',
  seq: i,
})

describe('the chronology as a PDF', () => {
  it('names the case by its reference, marks every page OFFICIAL-SENSITIVE at top and foot, and gives each entry its outcome, agency and when it was recorded', async () => {
    const pdf = await renderChronologyPdf({
      reference: 'Ash Fernley, born 8 July 2012: request for support received 2 March 2026',
      marking: 'OFFICIAL-SENSITIVE',
      entries: Array.from({ length: 40 }, (_, i) => entry(i)),
      generatedAt: new Date('2026-03-10T09:00:00Z'),
      filterText: 'Showing everything.',
    })
    const pages = pdfPages(pdf)
    expect(pages.length).toBeGreaterThan(1)
    for (const [i, page] of pages.entries()) {
      expect(
        page.filter((s) => s === 'OFFICIAL-SENSITIVE'),
        `page ${i + 1}`,
      ).toHaveLength(2)
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`)
    }
    // Lines pdfkit wrapped join up again (each ends with its space).
    const all = pages.flat().join('')
    expect(all).toContain('Ash Fernley, born 8 July 2012: request for support received 2 March 2026')
    expect(all).toContain('Step 0: rated amber')
    expect(all).toContain(
      'Recorded by Sam Worker (Fixture Police). Recorded 8 January 2026, 3:30pm: entered late because the worker was on leave.',
    )
    expect(pdf.toString('latin1')).not.toContain(CASE_ID)
  })

  it('is named for the day it was printed, without personal data or the case’s id', () => {
    expect(pdfFileName(new Date('2026-03-10T23:30:00Z'))).toBe('chronology-printed-2026-03-10.pdf')
  })
})
