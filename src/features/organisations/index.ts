/** The organisations feature's public face: the partnership's agencies and teams, with their history. */
export { organisationsModule } from './organisations.module.js'
export { AGENCY_KINDS, isAgencyKind, kindLabel, type AgencyKind } from './organisations.rules.js'
export type { OrganisationsActor, OrganisationsService } from './organisations.service.js'
