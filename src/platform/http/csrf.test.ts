import { describe, expect, it } from 'vitest'
import { maskToken, unmaskToken } from './csrf.js'

describe('the security token as a page carries it', () => {
  it('is masked afresh each time, and unmasks to the session’s token', () => {
    const token = 'a3f9c1e0b2d4f6a8c0e2b4d6f8a0c2e4'
    const seen = new Set(Array.from({ length: 50 }, () => maskToken(token)))
    expect(seen.size).toBe(50)
    for (const masked of seen) {
      expect(masked).not.toContain(token)
      expect(unmaskToken(masked)).toBe(token)
    }
  })

  it('gives nothing for a value that is not a masked token', () => {
    for (const value of ['', 'forged-token', 'a.b.c', '.', 'AAAA.', `${'A'.repeat(600)}.${'A'.repeat(600)}`, 'AAAA.AAAAAAAA'])
      expect(unmaskToken(value), value).toBeUndefined()
  })
})
