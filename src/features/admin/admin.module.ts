import type { AuthService } from '../../platform/auth/auth.service.js'
import type { SecretBox } from '../../platform/auth/secret-box.js'
import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { adminRepository } from './admin.repository.js'
import { adminRoutes } from './admin.routes.js'
import { adminService } from './admin.service.js'

/** People, roles, teams and training records (system administrator); the partnership's set-up for the CLI and demo. */
export function adminModule(
  deps: FeatureDeps & { secrets: SecretBox; auth: Pick<AuthService, 'securityCodeStatus' | 'unlockSecurityCodes' | 'invitations'> },
) {
  const service = adminService({
    db: deps.db,
    repo: adminRepository(),
    audit: deps.audit,
    access: deps.access,
    secrets: deps.secrets,
    notifications: deps.notifications,
    auth: deps.auth,
    rolesFromIdp: deps.config.oidc !== undefined,
  })
  return { service, routes: (registry: RouteRegistry) => adminRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
