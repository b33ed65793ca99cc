import type { RouteRegistry } from '../../platform/http/routes.js'
import type { FeatureDeps, FeatureModule } from '../feature-module.js'
import { organisationsRepository } from './organisations.repository.js'
import { organisationsRoutes } from './organisations.routes.js'
import { organisationsService } from './organisations.service.js'

/** The partnership's agencies and teams, with their history (system administrator, business manager; the CLI and demo seed). */
export function organisationsModule(deps: FeatureDeps) {
  const service = organisationsService({ db: deps.db, repo: organisationsRepository(), audit: deps.audit, access: deps.access })
  return { service, routes: (registry: RouteRegistry) => organisationsRoutes(registry, service) } satisfies FeatureModule<typeof service>
}
