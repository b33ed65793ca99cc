import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db } from '../../platform/db/transaction.js'
import { ForbiddenError } from '../../platform/http/errors.js'
import type { CatalogueRepository, CatalogueSummaryRow } from './catalogue.repository.js'
import { parseCatalogue, type CatalogueError } from './catalogue.rules.js'

type Deps = { db: Db; audit: AuditRepository; repo: CatalogueRepository }
export type CatalogueLoader = { system: true; partnershipId: string } | CurrentUser
export type CatalogueCounts = { loaded: number; replaced: number; versions: string[] }
/** A refused file comes back with its row errors and the catalogue as it still is, to show again. */
export type CatalogueLoad = { ok: true; counts: CatalogueCounts } | { ok: false; errors: CatalogueError[]; summary: CatalogueSummaryRow[] }

const RECORD_TYPE = 'screening-catalogue'
const isSystem = (by: CatalogueLoader): by is { system: true; partnershipId: string } => 'system' in by && by.system === true

/**
 * A partnership's own behaviour catalogue for the screening tool. Only the HSB lead (or a
 * set-up job) loads it; loading replaces the catalogue for each tool version in the file.
 */
export function catalogueService({ db, audit, repo }: Deps) {
  /** Refuses anyone but the HSB lead, with the refusal in the audit log. */
  async function requireLead(by: CatalogueLoader, action: string, requestId: string | null): Promise<{ partnershipId: string; userId: string | null }> {
    if (isSystem(by)) return { partnershipId: by.partnershipId, userId: null }
    if (by.roles.includes('HSB_LEAD')) return { partnershipId: by.partnershipId, userId: by.id }
    await transaction(db, { partnershipId: by.partnershipId }, (trx) =>
      audit.record(trx, { partnershipId: by.partnershipId, userId: by.id, action, recordType: RECORD_TYPE, recordId: null, outcome: 'DENIED', requestId }),
    )
    throw new ForbiddenError()
  }

  return {
    async viewCatalogue(by: CatalogueLoader, requestId: string | null = null): Promise<CatalogueSummaryRow[]> {
      const { partnershipId } = await requireLead(by, 'screening-catalogue:view', requestId)
      return transaction(db, { partnershipId }, (trx) => repo.summary(trx, partnershipId))
    },

    async loadCatalogue(by: CatalogueLoader, csvText: string, requestId: string | null = null): Promise<CatalogueLoad> {
      const { partnershipId, userId } = await requireLead(by, 'screening-catalogue:load', requestId)
      const parsed = parseCatalogue(csvText)
      if (!parsed.ok) return { ok: false, errors: parsed.errors, summary: await transaction(db, { partnershipId }, (trx) => repo.summary(trx, partnershipId)) }
      return transaction(db, { partnershipId }, async (trx) => {
        const replaced = await repo.replace(trx, partnershipId, userId, parsed.rows)
        const versions = [...new Set(parsed.rows.map((r) => r.toolVersion))].sort()
        const counts = { loaded: parsed.rows.length, replaced, versions }
        await audit.record(trx, {
          partnershipId,
          userId,
          action: 'screening-catalogue:load',
          recordType: RECORD_TYPE,
          recordId: null,
          outcome: 'ALLOWED',
          requestId,
          detail: { loaded: counts.loaded, replaced, versions: versions.join(',') },
        })
        return { ok: true as const, counts }
      })
    },
  }
}
export type CatalogueService = ReturnType<typeof catalogueService>
