import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { hash, verify } from '@node-rs/argon2'

/**
 * Passwords follow NCSC guidance: a minimum length and a deny-list of common and
 * guessable passwords, no composition rules. Hashes are argon2id.
 */
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 256

const here = path.dirname(fileURLToPath(import.meta.url))

function normalise(value: string): string {
  return value.toLowerCase().replace(/[\s_\-.]+/g, '')
}

const denyList: ReadonlySet<string> = new Set(
  readFileSync(path.join(here, 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map(normalise),
)

/** A common password with digits or a symbol tacked on is still a common password. */
function stripDecoration(value: string): string {
  return value.replace(/[0-9!?@#$%^&*]+$/, '').replace(/^[0-9!?@#$%^&*]+/, '')
}

export type PasswordContext = { email?: string; displayName?: string }

/** Returns the reason a password is not acceptable, or null when it is. */
export function checkPassword(password: string, context: PasswordContext = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`
  }
  const plain = normalise(password)
  if (denyList.has(plain) || denyList.has(stripDecoration(plain)) || /^(.)\1+$/.test(plain)) {
    return 'Password is too common. Choose a password that is harder to guess, for example 3 random words'
  }
  const personal = [context.email?.split('@')[0], ...(context.displayName?.split(/\s+/) ?? [])]
    .filter((part): part is string => !!part && part.length >= 4)
    .map(normalise)
  if (personal.some((part) => plain.includes(part))) {
    return 'Password must not contain your name or email address'
  }
  return null
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verified against when the email is unknown, so both answers take the same time.
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('not-a-real-password-for-timing-only')
  return dummyHash
}
