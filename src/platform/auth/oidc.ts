import type { Router } from 'express'
import type { Config } from '../../config.js'
import type { AuditRepository } from '../audit/audit.repository.js'
import type { Db } from '../db/transaction.js'
import type { RouteRegistry } from '../http/routes.js'

export type OidcSignIn = { routes(registry: RouteRegistry): Router }

// Placeholder while OpenID Connect sign-in is being written (replaced in the next commit).
export async function oidcSignIn(_deps: { config: NonNullable<Config['oidc']>; db: Db; audit: AuditRepository }): Promise<OidcSignIn> {
  throw new Error('OpenID Connect sign-in is being added; unset OIDC_ISSUER for now')
}
