import { describe, expect, it } from 'vitest'
import { secretBox } from './secret-box.js'

describe('secretBox', () => {
  const box = secretBox('a-key-for-tests-that-is-long-enough-1234')

  it('round-trips, with a fresh IV each time, and hides the secret', () => {
    const a = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    const b = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    expect(a).not.toBe(b)
    expect(a).not.toContain('JBSWY3DP')
    expect(box.open(a)).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
  })

  it('refuses a tampered value or another key', () => {
    const sealed = box.seal('secret-seed')
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(() => box.open(tampered)).toThrow()
    expect(() => secretBox('another-key-that-is-long-enough-123456').open(sealed)).toThrow()
    expect(() => box.open('plain-text')).toThrow(/Unrecognised/)
  })
})
