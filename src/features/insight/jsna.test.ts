import { describe, expect, it } from 'vitest'
import { FIGURE_SPECS, buildFigure, type Count } from './dashboard.figures.js'
import { applyDisclosure } from './disclosure.rules.js'
import { csvField, jsnaCsv, jsnaFileName, jsnaRows } from './jsna.js'

const PUBLICATION = { suppress: true, threshold: 5, drill: false }
const spec = (id: string) => FIGURE_SPECS.find((f) => f.id === id)!
const c = (rowKey: string, colKey: string, n: number, label: string | null = null): Count => ({ rowKey, colKey, n, median: null, label })
const meta = { from: '2025-04-01', to: '2026-03-31', asAt: '2026-05-01' }

describe('the JSNA extract', () => {
  const referrals = applyDisclosure(
    buildFigure(spec('referrals-by-rating'), [c('RED', 'referrals', 3), c('AMBER', 'referrals', 12), c('GREEN', 'referrals', 20)]),
    PUBLICATION,
  )
  const meetings = applyDisclosure(
    buildFigure(spec('strategy-meetings'), [c('GREEN', 'held', 10), c('GREEN', 'due', 10), c('GREEN', 'within-24-hours', 9)]),
    PUBLICATION,
  )

  it('has one row per figure cell, suppressed cells empty and marked', () => {
    const rows = jsnaRows([referrals], meta)
    expect(rows.map((r) => [r.measure, r.breakdown, r.category, r.value, r.suppressed])).toEqual([
      ['referrals-by-rating', 'Rating', 'Green', '20', 'no'],
      ['referrals-by-rating', 'Rating', 'Amber', '', 'yes'],
      ['referrals-by-rating', 'Rating', 'Red', '', 'yes'],
      ['referrals-by-rating', 'Rating', 'Not yet rated', '0', 'no'],
      ['referrals-by-rating', 'Rating', 'Total', '35', 'no'],
    ])
    expect(rows.every((r) => r.period_start === '2025-04-01' && r.period_end === '2026-03-31' && r.as_at === '2026-05-01')).toBe(true)
  })

  it('names the column in the measure when a figure has more than one, and gives shares as percentages', () => {
    const rows = jsnaRows([meetings], meta).filter((r) => r.category === 'Green')
    expect(rows.map((r) => [r.measure, r.value, r.suppressed])).toEqual([
      ['strategy-meetings.held', '10', 'no'],
      ['strategy-meetings.discussions', '0', 'no'],
      ['strategy-meetings.due', '10', 'no'],
      ['strategy-meetings.within-24-hours', '9', 'no'],
      ['strategy-meetings.share-24-hours', '90', 'no'],
      ['strategy-meetings.running', '0', 'no'],
    ])
    // A share of nothing is not applicable: empty, and not a suppression.
    expect(jsnaRows([meetings], meta).find((r) => r.category === 'Red' && r.measure === 'strategy-meetings.share-24-hours')).toMatchObject({
      value: '',
      suppressed: 'no',
    })
  })

  it('is RFC 4180 with CRLF line ends and a byte-order mark, with formula-like text escaped', () => {
    const agencies = applyDisclosure(
      buildFigure(spec('referrals-by-agency'), [c('a1', 'referrals', 7, '=HYPERLINK("x")'), c('a2', 'referrals', 9, 'School, "North"')]),
      PUBLICATION,
    )
    const csv = jsnaCsv([agencies], meta)
    expect(csv.startsWith('\uFEFFperiod_start,period_end,as_at,measure,breakdown,category,value,suppressed\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n')
    expect(csv).toContain('\r\n2025-04-01,2026-03-31,2026-05-01,referrals-by-agency,Agency,"\'=HYPERLINK(""x"")",7,no\r\n')
    expect(csv).toContain(',"School, ""North""",9,no\r\n')
    expect(csv).toContain(',Total,16,no\r\n')
    expect(csvField('-1')).toBe("'-1")
    expect(csvField('plain')).toBe('plain')
    expect(jsnaFileName(meta)).toBe('hsb-jsna-extract-2025-04-01-to-2026-03-31-as-at-2026-05-01.csv')
  })
})
