import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Role } from '../../platform/access/roles.js'
import { TOTAL_ROW_KEY, applyDisclosure, disclosureModeFor, type DisclosureMode } from './disclosure.rules.js'
import { SUPPRESSED_MARK, type Figure, type FigureColumn, type ShownFigure } from './insight.figures.js'

const SUPPRESS = (threshold = 5): DisclosureMode => ({ suppress: true, threshold, drill: false })
const OPEN: DisclosureMode = { suppress: false, threshold: 5, drill: true }

function figure(columns: FigureColumn[], rows: (number | null)[][], extra: Partial<Figure> = {}): Figure {
  return {
    id: 'test-figure',
    title: 'Test figure',
    description: 'Counts for the test.',
    rowHeading: 'Rating',
    columns,
    rows: rows.map((values, i) => ({ key: `r${i}`, label: `Row ${i}`, values })),
    totalRow: true,
    drillable: true,
    ...extra,
  }
}
const count = (key: string): FigureColumn => ({ key, label: key, kind: 'count' })

const ratings = (): Figure => ({
  ...figure([count('referrals')], []),
  rows: [
    { key: 'GREEN', label: 'Green', values: [12] },
    { key: 'AMBER', label: 'Amber', values: [3] },
    { key: 'NONE', label: 'Not rated', values: [0] },
    { key: 'RED', label: 'Red', values: [7] },
  ],
})

const col = (shown: ShownFigure, c: number) => shown.rows.map((row) => row.cells[c]!)
const isHidden = (cell: { hidden?: string }) => cell.hidden === 'suppressed' || cell.hidden === 'secondary'

describe('disclosureModeFor', () => {
  const mode = (roles: Role[], publication = false) => disclosureModeFor({ roles }, { threshold: 5, publication })

  it('lets the people who run the service see every number and drill through', () => {
    for (const role of ['HSB_LEAD', 'HEAD_OF_SERVICE', 'TEAM_MANAGER'] as Role[])
      expect(mode([role])).toEqual({ suppress: false, threshold: 5, drill: true, hideLoneCategory: true })
  })

  it('suppresses small numbers for board members, analysts and the business manager', () => {
    for (const role of ['BOARD_MEMBER', 'ANALYST', 'PARTNERSHIP_BUSINESS_MANAGER'] as Role[])
      expect(mode([role])).toEqual({ suppress: true, threshold: 5, drill: false, hideLoneCategory: true })
  })

  it('always suppresses for publication, whatever the role', () => {
    expect(mode(['HSB_LEAD'], true)).toEqual({ suppress: true, threshold: 5, drill: false, hideLoneCategory: true })
    expect(disclosureModeFor({ roles: ['TEAM_MANAGER'] }, { threshold: 10, publication: true })).toEqual({
      suppress: true,
      threshold: 10,
      drill: false,
      hideLoneCategory: true,
    })
  })

  it('takes the most open of several roles', () => {
    expect(mode(['BOARD_MEMBER', 'HEAD_OF_SERVICE']).suppress).toBe(false)
  })
})

describe('applyDisclosure: examples', () => {
  it('hides a count under 5 and the smallest other count so the total cannot reveal it', () => {
    const shown = applyDisclosure(ratings(), SUPPRESS())
    expect(shown.rows.map((r) => [r.label, r.cells[0]!.text, r.cells[0]!.hidden])).toEqual([
      ['Green', '12', undefined],
      ['Amber', '[c]', 'suppressed'],
      ['Not rated', '0', undefined],
      ['Red', '[c]', 'secondary'],
      ['Total', '22', undefined],
    ])
    expect(shown.rows.at(-1)).toMatchObject({ key: TOTAL_ROW_KEY, isTotal: true })
    expect(shown.anySuppressed).toBe(true)
    expect(shown.threshold).toBe(5)
  })

  it('shows every number exactly to those allowed, with the total', () => {
    const shown = applyDisclosure(ratings(), OPEN)
    expect(col(shown, 0).map((c) => c.value)).toEqual([12, 3, 0, 7, 22])
    expect(shown.anySuppressed).toBe(false)
    expect(shown.threshold).toBeNull()
  })

  it('hides the total itself when no other count can be hidden', () => {
    const shown = applyDisclosure(figure([count('cases')], [[2], [0], [0]]), SUPPRESS())
    // The zeros go too: "[c], 0, 0" would say which row the 2 children are in.
    expect(col(shown, 0).map((c) => c.text)).toEqual(['[c]', '[c]', '[c]', '[c]'])
    // Total of 20 with a 2 and nothing else non-zero but 18: the 18 goes, the total stays.
    const second = applyDisclosure(figure([count('cases')], [[2], [18], [0]]), SUPPRESS())
    expect(col(second, 0).map((c) => c.text)).toEqual(['[c]', '[c]', '0', '20'])
  })

  it('hides the zeros of a breakdown whose only non-zero count is hidden, so its category cannot be inferred', () => {
    // Red 3, every other rating 0: shown as "[c], 0, 0, 0" a reader knows those children are red.
    const shown = applyDisclosure(figure([count('referrals')], [[0], [0], [3], [0]]), SUPPRESS())
    // Marked as suppressed like the 3 itself, so no sentence or style tells them apart.
    expect(col(shown, 0).map((c) => [c.text, c.hidden])).toEqual(Array.from({ length: 5 }, () => ['[c]', 'suppressed']))
    // Two categories with hidden counts: the zeros stay (the reader cannot tell which is which).
    const two = applyDisclosure(figure([count('referrals')], [[0], [2], [3], [0]]), SUPPRESS())
    expect(col(two, 0).map((c) => c.text)).toEqual(['0', '[c]', '[c]', '0', '5'])
    // A partnership that turns the rule off (its disclosure control page) sees the zeros.
    const off = applyDisclosure(figure([count('referrals')], [[0], [0], [3], [0]]), { ...SUPPRESS(), hideLoneCategory: false })
    expect(col(off, 0).map((c) => c.text)).toEqual(['0', '0', '[c]', '0', '[c]'])
    // A shown count beside the zeros is not small: nothing more to hide.
    const shownOnly = applyDisclosure(figure([count('referrals')], [[0], [12], [0]]), SUPPRESS())
    expect(col(shownOnly, 0).map((c) => c.text)).toEqual(['0', '12', '0', '12'])
    // Each count column is its own breakdown; the other column keeps its zeros.
    const columns = applyDisclosure(
      figure(
        [count('held'), count('within')],
        [
          [6, 0],
          [7, 2],
          [0, 0],
        ],
      ),
      SUPPRESS(),
    )
    expect(columns.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['6', '[c]'],
      ['7', '[c]'],
      ['0', '[c]'],
      ['13', '[c]'],
    ])
    // Nobody allowed to see every number loses a zero.
    expect(col(applyDisclosure(figure([count('referrals')], [[0], [3]]), OPEN), 0).map((c) => c.text)).toEqual(['0', '3', '3'])
  })

  it('treats each row as a breakdown too when the columns are categories (levels of concern)', () => {
    const levels = [count('LOW'), count('MEDIUM'), count('HIGH')]
    const shown = applyDisclosure(
      figure(
        levels,
        [
          [0, 3, 0],
          [9, 8, 7],
        ],
        { totalRow: false, categoryColumns: true },
      ),
      SUPPRESS(),
    )
    // Provider 0's children are all at one level: the level is hidden with them.
    expect(shown.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['[c]', '[c]', '[c]'],
      ['9', '8', '7'],
    ])
    // Measures rather than categories: the row keeps its zeros (the column rule still applies).
    const measures = applyDisclosure(
      figure(
        levels,
        [
          [0, 3, 0],
          [9, 8, 7],
        ],
        { totalRow: false },
      ),
      SUPPRESS(),
    )
    expect(measures.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['0', '[c]', '0'],
      ['9', '8', '7'],
    ])
  })

  it('hides more when the hidden cells would add up to a small number', () => {
    // 1 and 2 hidden: total minus shown = 3, revealing a small combined count; the 30 goes too.
    const shown = applyDisclosure(figure([count('cases')], [[1], [2], [30], [40]]), SUPPRESS())
    expect(col(shown, 0).map((c) => c.text)).toEqual(['[c]', '[c]', '[c]', '40', '73'])
  })

  it('formats thousands and leaves zero shown', () => {
    const shown = applyDisclosure(figure([count('cases')], [[1234], [0]]), SUPPRESS())
    expect(col(shown, 0).map((c) => c.text)).toEqual(['1,234', '0', '1,234'])
  })

  it('never suppresses capacity, which counts places, not children', () => {
    const shown = applyDisclosure(
      figure(
        [count('children'), { key: 'places', label: 'Places', kind: 'capacity' }],
        [
          [6, 2],
          [8, 3],
        ],
      ),
      SUPPRESS(),
    )
    expect(col(shown, 1).map((c) => c.text)).toEqual(['2', '3', '5'])
    expect(shown.anySuppressed).toBe(false)
  })

  it('works shares out from the counts and hides them with their sources', () => {
    const columns: FigureColumn[] = [
      count('met'),
      count('all'),
      { key: 'share', label: 'Share', kind: 'share', of: { numerator: 'met', denominator: 'all' } },
    ]
    const shown = applyDisclosure(
      figure(columns, [
        [9, 20],
        [2, 10],
        [0, 0],
        [6, 7],
      ]),
      SUPPRESS(),
    )
    expect(shown.rows.map((r) => r.cells[2]!.text)).toEqual(['45%', '[c]', '–', '[c]', '46%'])
    expect(shown.rows[0]!.cells[2]!.value).toBe(45)
    expect(shown.rows[2]!.cells[2]!.hidden).toBe('not-applicable')
    const open = applyDisclosure(
      figure(columns, [
        [9, 20],
        [2, 3],
      ]),
      OPEN,
    )
    expect(open.rows.map((r) => r.cells[2]!.text)).toEqual(['45%', '67%', '48%'])
  })

  it('hides a median when too few cases are behind it, and shows one decimal at most', () => {
    const columns: FigureColumn[] = [count('cases'), { key: 'days', label: 'Median days', kind: 'days', basis: 'cases' }]
    const shown = applyDisclosure(
      figure(columns, [
        [10, 3.5],
        [6, 12],
        [2, 40],
        [0, null],
      ]),
      SUPPRESS(),
    )
    expect(shown.rows.map((r) => r.cells[1]!.text)).toEqual(['3.5', '[c]', '[c]', '–', '–'])
    const open = applyDisclosure(
      figure(columns, [
        [10, 3.46],
        [6, 12],
        [2, 40],
      ]),
      OPEN,
    )
    expect(open.rows.map((r) => r.cells[1]!.text)).toEqual(['3.5', '12', '40', '–'])
  })

  it('treats a count column keyed "total" as a margin of each row', () => {
    const columns = [count('female'), count('male'), count('total')]
    const shown = applyDisclosure(
      figure(
        columns,
        [
          [3, 10, 13],
          [8, 9, 17],
        ],
        { totalRow: false },
      ),
      SUPPRESS(),
    )
    const first = shown.rows[0]!.cells.map((c) => c.text)
    expect(first).toEqual(['[c]', '[c]', '13'])
  })

  it('links counts to the cases only when drilling through is allowed', () => {
    const hrefFor = (row: string, column: string) => `/insight/cases?row=${row}&column=${column}`
    const open = applyDisclosure(ratings(), OPEN, hrefFor)
    expect(col(open, 0).map((c) => c.href)).toEqual([
      '/insight/cases?row=GREEN&column=referrals',
      '/insight/cases?row=AMBER&column=referrals',
      undefined,
      '/insight/cases?row=RED&column=referrals',
      '/insight/cases?row=total&column=referrals',
    ])
    expect(col(applyDisclosure(ratings(), SUPPRESS(), hrefFor), 0).every((c) => c.href === undefined)).toBe(true)
    expect(col(applyDisclosure({ ...ratings(), drillable: false }, OPEN, hrefFor), 0).every((c) => c.href === undefined)).toBe(true)
    expect(
      col(
        applyDisclosure(ratings(), OPEN, () => undefined),
        0,
      ).every((c) => c.href === undefined),
    ).toBe(true)
  })

  it('adds no Total row when the figure has none', () => {
    const shown = applyDisclosure({ ...ratings(), totalRow: false }, SUPPRESS())
    expect(shown.rows).toHaveLength(4)
    // With no total shown, nothing can be subtracted: only the small count is hidden.
    expect(col(shown, 0).map((c) => c.text)).toEqual(['12', '[c]', '0', '7'])
  })
})

describe('applyDisclosure: properties', () => {
  const figures = fc
    .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 3 }) })
    .chain(({ rows, cols }) =>
      fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    )
    .map((rows) => {
      const columns = rows[0]!.map((_, c) => count(`c${c}`))
      const share: FigureColumn = { key: 'share', label: 'Share', kind: 'share', of: { numerator: 'c0', denominator: columns.at(-1)!.key } }
      return figure(
        [...columns, share],
        rows.map((values) => [...values, null]),
      )
    })
  const thresholds = fc.constantFrom(3, 5, 10)

  it('shows no count from 1 to threshold - 1', () => {
    fc.assert(
      fc.property(figures, thresholds, (fig, t) => {
        const shown = applyDisclosure(fig, SUPPRESS(t))
        for (const row of shown.rows)
          for (const [c, cell] of row.cells.entries())
            if (fig.columns[c]!.kind === 'count' && cell.value !== null) expect(cell.value === 0 || cell.value >= t).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('leaves no hidden count to be worked out from a shown total', () => {
    fc.assert(
      fc.property(figures, thresholds, (fig, t) => {
        const shown = applyDisclosure(fig, SUPPRESS(t))
        fig.columns.forEach((column, c) => {
          if (column.kind !== 'count') return
          const cells = col(shown, c)
          const total = cells.at(-1)!
          if (isHidden(total)) return
          const inner = cells.slice(0, -1)
          const hidden = inner.flatMap((cell, r) => (isHidden(cell) ? [fig.rows[r]!.values[c]!] : []))
          // Not exactly one hidden cell, so no subtraction gives one back.
          expect(hidden.length === 0 || hidden.length >= 2).toBe(true)
          if (hidden.length === 0) return
          // What subtraction does give: the hidden cells' sum (shown cells are exact).
          const recovered = total.value! - inner.reduce((a, cell) => a + (cell.value ?? 0), 0)
          expect(recovered).toBe(hidden.reduce((a, b) => a + b, 0))
          // Every hidden cell is at least 1 (zeros are shown), so each lies in 1..recovered-(k-1):
          // that range must hold more than one value, and the hidden sum is no small count.
          expect(recovered - (hidden.length - 1)).toBeGreaterThan(1)
          expect(recovered).toBeGreaterThanOrEqual(t)
        })
      }),
      { numRuns: 500 },
    )
  })

  it('protects both ways when a count column keyed "total" sums the others', () => {
    const grids = fc
      .record({ rows: fc.integer({ min: 1, max: 6 }), parts: fc.integer({ min: 2, max: 3 }) })
      .chain(({ rows, parts }) =>
        fc.array(fc.array(fc.integer({ min: 0, max: 25 }), { minLength: parts, maxLength: parts }), { minLength: rows, maxLength: rows }),
      )
    fc.assert(
      fc.property(grids, thresholds, (grid, t) => {
        const columns = [...grid[0]!.map((_, c) => count(`p${c}`)), count('total')]
        const fig = figure(
          columns,
          grid.map((values) => [...values, values.reduce((a, b) => a + b, 0)]),
        )
        const shown = applyDisclosure(fig, SUPPRESS(t))
        const raw = [...fig.rows.map((r) => r.values as number[]), columns.map((_, c) => fig.rows.reduce((a, r) => a + r.values[c]!, 0))]
        const check = (cells: { cell: { hidden?: string; value: number | null }; raw: number }[], margin: { hidden?: string }) => {
          if (isHidden(margin)) return
          const hidden = cells.filter((x) => isHidden(x.cell))
          const sum = hidden.reduce((a, x) => a + x.raw, 0)
          expect(hidden.length === 0 || (hidden.length >= 2 && sum >= t && sum > hidden.length)).toBe(true)
        }
        const last = columns.length - 1
        shown.rows.forEach((row, r) => {
          for (const cell of row.cells) if (cell.value !== null) expect(cell.value === 0 || cell.value >= t).toBe(true)
          check(
            row.cells.slice(0, last).map((cell, c) => ({ cell, raw: raw[r]![c]! })),
            row.cells[last]!,
          )
        })
        columns.forEach((_, c) =>
          check(
            shown.rows.slice(0, -1).map((row, r) => ({ cell: row.cells[c]!, raw: raw[r]![c]! })),
            shown.rows.at(-1)!.cells[c]!,
          ),
        )
      }),
      { numRuns: 300 },
    )
  })

  it('never shows a breakdown whose only non-zero count is hidden beside shown zeros', () => {
    fc.assert(
      fc.property(figures, thresholds, (fig, t) => {
        const shown = applyDisclosure(fig, SUPPRESS(t))
        fig.columns.forEach((column, c) => {
          if (column.kind !== 'count') return
          const cells = col(shown, c).slice(0, -1)
          const raw = fig.rows.map((r) => r.values[c]!)
          const nonZero = raw.flatMap((v, r) => (v > 0 ? [r] : []))
          if (nonZero.length === 1 && isHidden(cells[nonZero[0]!]!)) expect(cells.every(isHidden)).toBe(true)
        })
      }),
      { numRuns: 500 },
    )
  })

  it('hides a share whenever a count it comes from is hidden', () => {
    fc.assert(
      fc.property(figures, thresholds, (fig, t) => {
        const shown = applyDisclosure(fig, SUPPRESS(t))
        const s = fig.columns.length - 1
        const n = 0
        const d = fig.columns.length - 2
        for (const row of shown.rows) {
          const share = row.cells[s]!
          if (isHidden(row.cells[n]!) || isHidden(row.cells[d]!)) expect(share.value).toBeNull()
          if (share.value !== null) expect(share.text).toBe(`${share.value}%`)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('shows everything exactly when not suppressing', () => {
    fc.assert(
      fc.property(figures, (fig) => {
        const shown = applyDisclosure(fig, OPEN)
        expect(shown.anySuppressed).toBe(false)
        fig.columns.forEach((column, c) => {
          if (column.kind !== 'count') return
          const values = fig.rows.map((row) => row.values[c])
          expect(col(shown, c).map((cell) => cell.value)).toEqual([...values, values.reduce((a, b) => a! + b!, 0)])
        })
      }),
      { numRuns: 200 },
    )
  })

  it('gives links only on shown, non-zero counts, and only when drilling through', () => {
    fc.assert(
      fc.property(figures, fc.boolean(), fc.boolean(), (fig, suppress, drill) => {
        const shown = applyDisclosure(fig, { suppress, drill, threshold: 5 }, (r, c) => `/cases/${r}/${c}`)
        for (const row of shown.rows)
          for (const [c, cell] of row.cells.entries()) {
            if (!cell.href) continue
            expect(drill).toBe(true)
            expect(fig.columns[c]!.kind).toBe('count')
            expect(cell.hidden).toBeUndefined()
            expect(cell.value).toBeGreaterThan(0)
          }
      }),
      { numRuns: 200 },
    )
  })

  it('marks anySuppressed exactly when a cell shows [c]', () => {
    fc.assert(
      fc.property(figures, thresholds, (fig, t) => {
        const shown = applyDisclosure(fig, SUPPRESS(t))
        expect(shown.anySuppressed).toBe(shown.rows.some((row) => row.cells.some((cell) => cell.text === SUPPRESSED_MARK)))
      }),
      { numRuns: 200 },
    )
  })
})
