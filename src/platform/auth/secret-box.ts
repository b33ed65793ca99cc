import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Encrypts small secrets kept in the database (TOTP seeds) with AES-256-GCM, so a copy of the
 * database alone does not hand over everyone's second factor. The key comes from
 * MFA_ENCRYPTION_KEY, or is derived from SESSION_SECRET when that is not set.
 */
export type SecretBox = { seal(plain: string): string; open(sealed: string): string }

const VERSION = 'v1'

export function secretBox(keyMaterial: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'hsb-pathway', 'totp-secret', 32))
  return {
    seal(plain: string): string {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    open(sealed: string): string {
      const [version, payload] = sealed.split(':')
      if (version !== VERSION || !payload) throw new Error('Unrecognised sealed secret')
      const raw = Buffer.from(payload, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}
