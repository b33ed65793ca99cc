import { describe, expect, it } from 'vitest'
import { currentStep, currentTotpCode, newTotpSecret, verifyTotp } from './totp.js'

describe('TOTP', () => {
  const secret = newTotpSecret()
  const now = Date.UTC(2026, 10, 23, 12, 0, 10)

  it('accepts the current code and reports its step', async () => {
    const code = await currentTotpCode(secret, now)
    expect(await verifyTotp(secret, code, null, now)).toEqual({ valid: true, step: currentStep(now) })
  })

  it('accepts one step of clock drift either side, not two', async () => {
    const previous = await currentTotpCode(secret, now - 30_000)
    const next = await currentTotpCode(secret, now + 30_000)
    const old = await currentTotpCode(secret, now - 60_000)
    expect((await verifyTotp(secret, previous, null, now)).valid).toBe(true)
    expect((await verifyTotp(secret, next, null, now)).valid).toBe(true)
    expect((await verifyTotp(secret, old, null, now)).valid).toBe(false)
  })

  it('refuses a code from a step already used (replay)', async () => {
    const code = await currentTotpCode(secret, now)
    expect((await verifyTotp(secret, code, currentStep(now), now)).valid).toBe(false)
  })

  it('refuses codes that are not 6 digits, and allows spaces', async () => {
    const code = await currentTotpCode(secret, now)
    expect((await verifyTotp(secret, 'abcdef', null, now)).valid).toBe(false)
    expect((await verifyTotp(secret, '12345', null, now)).valid).toBe(false)
    expect((await verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, now)).valid).toBe(true)
  })
})
