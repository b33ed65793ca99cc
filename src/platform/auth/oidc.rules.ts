import { ALL_ROLES, isRole, type Role } from '../access/roles.js'

/** The claims of a validated ID token, as openid-client returns them. */
export type IdTokenClaims = Readonly<Record<string, unknown>>

/**
 * The roles the identity provider gives a person, mapped to ours.
 *
 * - `undefined`: the claim is absent (or no role map is configured), so the roles held in
 *   HSB Pathway are left as they are.
 * - an array (possibly empty): the claim is present, and these are the person's roles now.
 *   Values not in the map, or mapped to something that is not a role, are dropped. IdP values
 *   are compared exactly, as Entra ID app-role values are case-sensitive.
 */
export function rolesFromClaims(claims: IdTokenClaims, roleClaim: string, roleMap: Readonly<Record<string, string>>): Role[] | undefined {
  // With no map every value would be dropped: that would strip everyone of their roles.
  if (Object.keys(roleMap).length === 0) return undefined
  if (!Object.hasOwn(claims, roleClaim)) return undefined
  const raw = claims[roleClaim]
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : undefined
  if (values === undefined) return undefined
  const mapped = new Set<Role>()
  for (const value of values) {
    if (!Object.hasOwn(roleMap, value)) continue
    const role = roleMap[value]
    if (role !== undefined && isRole(role)) mapped.add(role)
  }
  // In the order of ALL_ROLES, so the same set is always written and compared the same way.
  return ALL_ROLES.filter((r) => mapped.has(r))
}

/** Whether two sets of roles are the same, ignoring order and repeats. */
export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a)
  const right = new Set(b)
  return left.size === right.size && [...left].every((r) => right.has(r))
}

const EMAIL_CLAIMS = ['email', 'preferred_username', 'upn'] as const

/**
 * The email address to match an account by: `email`, then `preferred_username`, then `upn`
 * (Entra ID sends the last two for work accounts). An `email` the provider marks as not
 * verified is not used. Returned lower-cased and trimmed; undefined when there is none.
 */
export function emailFromClaims(claims: IdTokenClaims): string | undefined {
  for (const name of EMAIL_CLAIMS) {
    if (name === 'email' && claims.email_verified === false) continue
    const value = claims[name]
    if (typeof value !== 'string') continue
    const email = value.trim().toLowerCase()
    if (/^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 320) return email
  }
  return undefined
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1'])

/**
 * Whether plain-HTTP requests to the issuer may be allowed: only for a provider on this
 * machine (a test or a developer's local provider). Any other issuer must use HTTPS.
 */
export function isLoopbackHttpIssuer(issuer: string): boolean {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return false
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}
