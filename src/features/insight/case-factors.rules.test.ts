import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseFactorsFigure, codeFor, factorChanges, factorList, validateFactorLabel } from './case-factors.rules.js'

describe('case factor rules', () => {
  it('makes an upper snake case code from a label, unique among those taken', () => {
    expect(codeFor('Exclusion from school', [])).toBe('EXCLUSION_FROM_SCHOOL')
    expect(codeFor('  Young carer!  ', [])).toBe('YOUNG_CARER')
    expect(codeFor('Young carer', ['YOUNG_CARER', 'YOUNG_CARER_2'])).toBe('YOUNG_CARER_3')
    expect(codeFor('16+ accommodation', [])).toBe('F_16_ACCOMMODATION')
    expect(codeFor('Ä', [])).toMatch(/^[A-Z][A-Z0-9_]{1,39}$/)
    expect(codeFor('x'.repeat(90), [])).toMatch(/^[A-Z][A-Z0-9_]{1,39}$/)
  })

  it('gives a valid code (the database pattern) to any label, in any script or none, as fuzzing found', () => {
    const pattern = /^[A-Z][A-Z0-9_]{1,39}$/
    for (const label of ['\u{8A9B8}\u{8C0B7}\u2B50', 'لا', '你好', '!!!', '_', 'a', '9', '_a_', 'ß', '\u0301', `${'x'.repeat(37)}_`]) {
      expect(codeFor(label, []), JSON.stringify(label)).toMatch(pattern)
      expect(codeFor(label, [codeFor(label, [])]), JSON.stringify(label)).toMatch(pattern)
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (label) => pattern.test(codeFor(label, []))),
      { numRuns: 2000 },
    )
  })

  it('refuses an empty or duplicate label', () => {
    const list = factorList([{ code: 'OWN', label: 'Own one', retiredAt: null }])
    expect(validateFactorLabel(' ', list).ok).toBe(false)
    expect(validateFactorLabel('overcrowding AT home', list).ok).toBe(false)
    expect(validateFactorLabel('own ONE', list).ok).toBe(false)
    expect(validateFactorLabel('A new  one', list)).toEqual({ ok: true, value: 'A new one' })
  })

  it('adds what is newly ticked and removes only what was shown and unticked', () => {
    expect(factorChanges({ ticked: ['A', 'B'], shown: ['B', 'C'], current: ['B', 'C', 'D'], allowed: ['A', 'B', 'C', 'D'] })).toEqual({
      add: ['A'],
      remove: ['C'],
      unknown: [],
    })
    expect(factorChanges({ ticked: ['Z'], shown: [], current: [], allowed: ['A'] }).unknown).toEqual(['Z'])
    // A retired factor still on the case may stay ticked; it is not added again.
    expect(factorChanges({ ticked: ['R'], shown: ['R'], current: ['R'], allowed: ['A'] })).toEqual({ add: [], remove: [], unknown: [] })
  })

  it('gives each factor its count, the rest of the cohort and the cohort, hiding retired factors nobody has', () => {
    const factors = factorList([{ code: 'OLD', label: 'Old', retiredAt: new Date() }])
    const fig = caseFactorsFigure(factors, [{ code: 'OVERCROWDING', n: 3 }], 10, 'April 2025', '2026-01-01')
    expect(fig.rows.map((r) => r.key)).toEqual(['LEARNING_DIFFICULTY', 'OWN_EXPERIENCE_OF_ABUSE', 'ONLINE_PORNOGRAPHY', 'OVERCROWDING'])
    expect(fig.rows[3]!.values).toEqual([3, 7, 10, 0.3])
  })
})
