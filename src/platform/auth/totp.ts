import { generate, generateSecret, generateURI, verify } from 'otplib'

/** TOTP (RFC 6238), 6 digits every 30 seconds, accepting one step either side for clock drift. */
const PERIOD = 30

export function newTotpSecret(): string {
  return generateSecret()
}

export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: 'HSB Pathway', label, secret })
}

export function currentStep(now = Date.now()): number {
  return Math.floor(now / 1000 / PERIOD)
}

export async function currentTotpCode(secret: string, now = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now / 1000) })
}

/**
 * Checks a code and returns the time step it matched, so the caller can refuse a code that
 * was already used (replay) by storing the last accepted step.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  lastUsedStep: number | null,
  now = Date.now(),
): Promise<{ valid: boolean; step: number | null }> {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return { valid: false, step: null }
  const base = currentStep(now)
  for (const offset of [0, -1, 1]) {
    const step = base + offset
    if (lastUsedStep !== null && step <= lastUsedStep) continue
    const result = await verify({ secret, token, epoch: step * PERIOD })
    if (result.valid) return { valid: true, step }
  }
  return { valid: false, step: null }
}
