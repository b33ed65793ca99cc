import type { Generated } from 'kysely'
import type { CreatedAt } from '../../platform/db/columns.js'

export type RoleGrantState = 'PENDING' | 'APPROVED' | 'DECLINED' | 'WITHDRAWN'

/** A role that opens children's records, asked for by an administrator, waiting for a second person (migration 017). */
export interface RoleGrantRequestTable {
  id: Generated<string>
  partnershipId: string
  userId: string
  roles: string[]
  requestedBy: string | null
  requestedAt: CreatedAt
  state: Generated<RoleGrantState>
  decidedBy: string | null
  decidedAt: Date | null
}

/** The admin feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type AdminTables = { roleGrantRequest: RoleGrantRequestTable }

declare module '../../platform/db/schema.js' {
  interface Database extends AdminTables {}
}
