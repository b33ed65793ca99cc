import { describe, expect, it } from 'vitest'
import {
  capacityFigure,
  coAssessorLoadFigure,
  expiryWindowEnd,
  isCurrentTraining,
  loadBucket,
  pairsAvailable,
  trainedByAgencyFigure,
} from './workforce.rules.js'

describe('workforce rules', () => {
  it('counts training as current from its completion to the day before it expires', () => {
    expect(isCurrentTraining({ completedOn: '2025-01-01', expiresOn: '2026-01-01' }, '2025-12-31')).toBe(true)
    expect(isCurrentTraining({ completedOn: '2025-01-01', expiresOn: '2026-01-01' }, '2026-01-01')).toBe(false)
    expect(isCurrentTraining({ completedOn: '2025-01-01', expiresOn: null }, '2040-01-01')).toBe(true)
    expect(isCurrentTraining({ completedOn: '2025-01-02', expiresOn: null }, '2025-01-01')).toBe(false)
  })

  it('looks 90 days ahead for expiring training, across a year end', () => {
    expect(expiryWindowEnd('2025-12-01')).toBe('2026-03-01')
  })

  it('buckets co-assessor load and pairs practitioners', () => {
    expect([0, 1, 2, 3, 7].map(loadBucket)).toEqual(['0', '1', '2', '3+', '3+'])
    expect([0, 1, 2, 3, 9].map(pairsAvailable)).toEqual([0, 0, 1, 1, 4])
    const load = coAssessorLoadFigure(
      [
        { bucket: '3+', n: 2 },
        { bucket: '0', n: 5 },
      ],
      '2026-01-01',
    )
    expect(load.rows.map((r) => r.values[0])).toEqual([5, 0, 0, 2])
    expect(load.totalRow).toBe(true)
  })

  it('sets trained capacity against assessments due, with a row for assessments whose model is not chosen', () => {
    const fig = capacityFigure(
      [{ model: 'AIM3', n: 5 }],
      [
        { model: 'AIM3', inProgress: 3, awaiting: 1 },
        { model: null, inProgress: 0, awaiting: 2 },
      ],
      '2026-01-01',
    )
    expect(fig.rows.map((r) => [r.key, ...r.values])).toEqual([
      ['AIM2', 0, 0, 0, 0],
      ['AIM3', 5, 2, 3, 1],
      ['AIM_UNDER_12S', 0, 0, 0, 0],
      ['NOT_CHOSEN', null, null, 0, 2],
    ])
    expect(capacityFigure([], [], '2026-01-01').rows).toHaveLength(3)
  })

  it('lays out agencies by model, zero where nobody is trained', () => {
    const fig = trainedByAgencyFigure([{ id: 'a', name: 'Police' }], [{ agencyId: 'a', model: 'AIM2', n: 4 }], '2026-01-01')
    expect(fig.rows[0]!.values).toEqual([4, 0, 0, 0, 0, 0, 0])
  })
})
