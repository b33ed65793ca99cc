import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt } from '../../platform/db/columns.js'
import type { OrganisationChangeKind } from './organisations.rules.js'

type JsonValue = ColumnType<Record<string, unknown> | null, string | null | undefined, never>

/**
 * Migration 030: every add, rename, change and retirement of an agency or a team (append-only).
 * The agency and team columns themselves (retired_at, version) are the platform's (schema.ts).
 */
export interface OrganisationChangeTable {
  id: Generated<string>
  partnershipId: string
  agencyId: string | null
  teamId: string | null
  change: ColumnType<OrganisationChangeKind, OrganisationChangeKind, never>
  before: JsonValue
  after: JsonValue
  changedBy: string | null
  changedAt: CreatedAt
  formKey: ColumnType<string | null, string | null | undefined, never>
}

export interface OrganisationsTables {
  organisationChange: OrganisationChangeTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends OrganisationsTables {}
}
