import path from 'node:path'
import nunjucks from 'nunjucks'
import { describe, expect, it } from 'vitest'
import { BAR_AREA, barChartSvg, truncateLabel } from './chart.svg.js'
import { applyDisclosure } from './disclosure.rules.js'
import type { Figure, ShownFigure } from './insight.figures.js'

const ratings: Figure = {
  id: 'referrals-by-rating',
  title: 'Referrals by rating',
  description: 'Referrals received in the period, by their HSB rating.',
  rowHeading: 'Rating',
  columns: [
    { key: 'referrals', label: 'Referrals', kind: 'count' },
    { key: 'share', label: 'Share of all', kind: 'share', of: { numerator: 'referrals', denominator: 'referrals' } },
  ],
  rows: [
    { key: 'GREEN', label: 'Green', values: [12, null] },
    { key: 'AMBER', label: 'Amber', values: [3, null] },
    { key: 'NONE', label: 'Not rated', values: [0, null] },
    { key: 'RED', label: 'Red', values: [7, null] },
  ],
  totalRow: true,
  drillable: true,
}
const suppressed = (f: Figure): ShownFigure => applyDisclosure(f, { suppress: true, threshold: 5, drill: false })
const open = (f: Figure): ShownFigure =>
  applyDisclosure(f, { suppress: false, threshold: 5, drill: true }, (r, c) => `/insight/cases?row=${r}&column=${c}`)

const bars = (svg: string) => [...svg.matchAll(/<rect class="app-insight-chart__bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]))

describe('barChartSvg', () => {
  it('is an accessible image whose title and description say what it shows', () => {
    const svg = barChartSvg(suppressed(ratings))
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-referrals-by-rating-title chart-referrals-by-rating-desc"/)
    expect(svg).toContain('<title id="chart-referrals-by-rating-title">Bar chart: Referrals by rating</title>')
    expect(svg).toContain(
      '<desc id="chart-referrals-by-rating-desc">Referrals by rating: Green 12, Amber [c] (suppressed), Not rated 0, Red [c] (suppressed).</desc>',
    )
    expect(svg).toContain('width="100%"')
    expect(svg).toMatch(/viewBox="0 0 700 \d+"/)
  })

  it('draws one row per figure row, leaving out the Total row', () => {
    const svg = barChartSvg(open(ratings))
    expect(svg.match(/<g class="app-insight-chart__row/g)).toHaveLength(4)
    expect(svg).not.toContain('>Total<')
  })

  it('makes bar widths proportional to the values', () => {
    const widths = bars(barChartSvg(open(ratings)))
    expect(widths).toEqual([BAR_AREA, (3 / 12) * BAR_AREA, 0, Math.round((7 / 12) * BAR_AREA * 100) / 100])
  })

  it('draws suppressed rows as a hatched placeholder marked [c], giving away no size', () => {
    const svg = barChartSvg(suppressed(ratings))
    expect(svg).toContain('<pattern id="chart-referrals-by-rating-hatch"')
    const placeholders = [
      ...svg.matchAll(/<rect class="app-insight-chart__placeholder"[^>]*width="(\d+)"[^>]*fill="url\(#chart-referrals-by-rating-hatch\)"/g),
    ]
    expect(placeholders.map((m) => m[1])).toEqual(['44', '44'])
    expect(svg.match(/>\[c\]<\/text>/g)).toHaveLength(2)
    expect(bars(svg)).toEqual([BAR_AREA, 0])
  })

  it('escapes labels and titles, and has no styles, scripts or outside references', () => {
    const hostile: Figure = {
      ...ratings,
      id: 'x"><script>',
      title: 'Tom & Jerry <script>alert(1)</script>',
      rows: [{ key: 'a', label: '<script>alert("x")</script> & co', values: [10, null] }],
    }
    const svg = barChartSvg(open(hostile))
    expect(svg).not.toContain('<script')
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co')
    expect(svg).toContain('Tom &amp; Jerry')
    expect(svg).toContain('id="chart-x---script--title"')
    expect(svg).not.toMatch(/style=/i)
    expect(svg).not.toMatch(/href=|https?:\/\/(?!www\.w3\.org\/2000\/svg")/)
    expect(svg).not.toMatch(/\son[a-z]+=/i)
  })

  it('cuts long labels with an ellipsis and keeps the full label in the row title', () => {
    const long = 'Northshire Child and Adolescent Mental Health Service'
    const svg = barChartSvg(open({ ...ratings, rows: [{ key: 'a', label: long, values: [6, null] }] }))
    expect(svg).toContain(`>${truncateLabel(long)}</text>`)
    expect(truncateLabel(long)).toHaveLength(28)
    expect(truncateLabel(long).endsWith('…')).toBe(true)
    expect(svg).toContain(`<title>${long} 6</title>`)
    expect(truncateLabel('Short')).toBe('Short')
  })

  it('says when there is no data, and copes with all zeros', () => {
    const empty = barChartSvg(open({ ...ratings, rows: [] }))
    expect(empty).toContain('No data for this period')
    expect(empty).toContain('role="img"')
    const zeros = barChartSvg(open({ ...ratings, rows: ratings.rows.map((r) => ({ ...r, values: [0, null] })) }))
    expect(bars(zeros)).toEqual([0, 0, 0, 0])
    expect(zeros).not.toContain('NaN')
  })

  it('charts another column when asked', () => {
    const figure: Figure = {
      ...ratings,
      columns: [...ratings.columns, { key: 'closed', label: 'Closed', kind: 'count' }],
      rows: ratings.rows.map((r, i) => ({ ...r, values: [...r.values, (i + 1) * 10] })),
    }
    const svg = barChartSvg(open(figure), { column: 'closed' })
    expect(svg).toContain('>Bar chart: Referrals by rating, Closed</title>')
    expect(svg).toContain('Closed by rating: Green 10, Amber 20, Not rated 30, Red 40.')
    expect(bars(svg)).toEqual([1, 2, 3, 4].map((k) => Math.round(((k * 10) / 40) * BAR_AREA * 100) / 100))
  })

  it('escapes all five XML specials', () => {
    const svg = barChartSvg(
      open({ ...ratings, title: `<a href="x">'&'</a>`, rows: [{ key: 'a', label: `<a href="x">'&'</a>`, values: [6, null] }] }),
    )
    const escaped = '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    expect(svg).toContain(`>Bar chart: ${escaped}</title>`)
    expect(svg).toContain(`text-anchor="end" fill="#0b0c0c" font-size="16">${escaped}</text>`)
    expect(svg).not.toContain('<a href')
  })
})

describe('the insightFigure macro', () => {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      path.resolve('src/features'),
      path.resolve('src/views'),
      path.resolve('node_modules/govuk-frontend/dist'),
    ]),
    { autoescape: true },
  )
  const render = (fig: ShownFigure, downloads?: { csv: string; xlsx: string }) =>
    env.renderString('{% from "insight/views/_figure.njk" import insightFigure %}{{ insightFigure(fig, svg, downloads) }}', {
      fig,
      svg: barChartSvg(fig),
      downloads,
    })

  it('shows the heading, description, chart and table, and explains suppression', () => {
    const html = render(suppressed(ratings), {
      csv: '/insight/figures/referrals-by-rating.csv',
      xlsx: '/insight/figures/referrals-by-rating.xlsx',
    })
    expect(html).toContain('<section class="app-insight-figure" id="referrals-by-rating" aria-labelledby="referrals-by-rating-heading">')
    expect(html).toContain('<h2 class="govuk-heading-m" id="referrals-by-rating-heading">Referrals by rating</h2>')
    expect(html).toContain('<p class="govuk-body">Referrals received in the period, by their HSB rating.</p>')
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="app-insight-chart" role="img"')
    expect(html).toContain('<th scope="col" class="govuk-table__header govuk-table__header--numeric">Referrals</th>')
    expect(html).toMatch(
      /<th scope="row" class="govuk-table__header">Total<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold">22<\/td>/,
    )
    expect(
      html.match(
        /<abbr title="Suppressed: fewer than 5, or hidden so that a total cannot reveal such a number">\[c\]<\/abbr><span class="govuk-visually-hidden"> \(suppressed\)<\/span>/g,
      )?.length,
    ).toBe(4)
    expect(html).toContain('<span class="govuk-visually-hidden">Not applicable</span>')
    expect(html).toMatch(
      /<div class="govuk-inset-text">\s*\[c\] means a number is suppressed to protect the children counted: counts from 1 to 4 are not shown/,
    )
    expect(html).not.toContain('href="/insight/cases')
    expect(html).toContain(
      '<a class="govuk-link" href="/insight/figures/referrals-by-rating.csv" download>Download this figure as CSV<span class="govuk-visually-hidden">: Referrals by rating</span></a>',
    )
    expect(html).toContain('Download this figure as Excel (XLSX)')
    expect(html).not.toMatch(/style=|<script/i)
  })

  it('links counts to their cases for those allowed, and leaves out downloads and the note when not needed', () => {
    const html = render(open(ratings))
    expect(html).toContain(
      '<a class="govuk-link" href="/insight/cases?row=AMBER&amp;column=referrals">3<span class="govuk-visually-hidden"> cases: Amber, Referrals</span></a>',
    )
    expect(html).not.toContain('[c]')
    expect(html).not.toContain('govuk-inset-text')
    expect(html).not.toContain('Download this figure')
  })

  it('escapes labels in the table', () => {
    const html = render(open({ ...ratings, rows: [{ key: 'a', label: '<script>x</script>', values: [6, null] }] }))
    expect(html).not.toContain('<script')
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;')
  })
})
