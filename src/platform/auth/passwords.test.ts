import { describe, expect, it } from 'vitest'
import { checkPassword, hashPassword, verifyPassword } from './passwords.js'

describe('checkPassword', () => {
  it.each([
    ['short', 'Password must be 12 characters or more'],
    ['password1234', 'Password is too common'],
    ['Password 1234', 'Password is too common'],
    ['qwertyuiop123!', 'Password is too common'],
    ['safeguarding2026', 'Password is too common'],
    ['aaaaaaaaaaaaaaa', 'Password is too common'],
    ['x'.repeat(257), 'Password must be 256 characters or fewer'],
  ])('refuses %j', (password, message) => {
    expect(checkPassword(password)).toContain(message)
  })

  it('refuses a password containing the person’s name or email', () => {
    expect(checkPassword('helen-marsh-rocks', { displayName: 'Helen Marsh' })).toContain('must not contain your name')
    expect(checkPassword('hello.smithers!!', { email: 'smithers@example.org' })).toContain('must not contain your name')
  })

  it('accepts a long passphrase with no composition rules at all', () => {
    expect(checkPassword('purple tractor umbrella')).toBeNull()
    expect(checkPassword('correct horse battery')).toBeNull()
  })
})

describe('argon2id hashing', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('purple tractor umbrella')
    expect(hash.startsWith('$argon2id$')).toBe(true)
    expect(await verifyPassword(hash, 'purple tractor umbrella')).toBe(true)
    expect(await verifyPassword(hash, 'purple tractor umbrelLa')).toBe(false)
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false)
  })
})
