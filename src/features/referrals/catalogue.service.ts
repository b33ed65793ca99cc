import type { AccessGuard } from '../../platform/access/authorise.js'
import type { AuditActor, AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import type { CatalogueRepository, CatalogueSummaryRow } from './catalogue.repository.js'
import { parseCatalogue, type CatalogueError } from './catalogue.rules.js'

type Deps = { db: Db; audit: AuditRepository; access: AccessGuard; repo: CatalogueRepository }
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
export function catalogueService({ db, audit, access, repo }: Deps) {
  /** The HSB lead (anyone else refused, audited) or a set-up job, in the partnership's transaction. */
  function asLead<T>(
    by: CatalogueLoader,
    action: string,
    requestId: string | null,
    fn: (trx: Trx, who: AuditActor) => Promise<T>,
  ): Promise<T> {
    if (isSystem(by))
      return transaction(db, { partnershipId: by.partnershipId }, (trx) => fn(trx, { id: null, partnershipId: by.partnershipId }))
    return access.run(by, requestId ?? '', async (act) => {
      act.authorise('screening:manage-catalogue', { action, recordType: RECORD_TYPE, recordId: null })
      return fn(act.trx, by)
    })
  }

  return {
    async viewCatalogue(by: CatalogueLoader, requestId: string | null = null): Promise<CatalogueSummaryRow[]> {
      return asLead(by, 'screening-catalogue:view', requestId, (trx, who) => repo.summary(trx, who.partnershipId!))
    },

    async loadCatalogue(by: CatalogueLoader, csvText: string, requestId: string | null = null): Promise<CatalogueLoad> {
      return asLead(by, 'screening-catalogue:load', requestId, async (trx, who) => {
        const partnershipId = who.partnershipId!
        const parsed = parseCatalogue(csvText)
        if (!parsed.ok) return { ok: false, errors: parsed.errors, summary: await repo.summary(trx, partnershipId) }
        const replaced = await repo.replace(trx, partnershipId, who.id, parsed.rows)
        const versions = [...new Set(parsed.rows.map((r) => r.toolVersion))].sort()
        const counts = { loaded: parsed.rows.length, replaced, versions }
        await audit.allowed(
          trx,
          who,
          {
            action: 'screening-catalogue:load',
            recordType: RECORD_TYPE,
            recordId: null,
            detail: { loaded: counts.loaded, replaced, versions: versions.join(',') },
          },
          requestId,
        )
        return { ok: true as const, counts }
      })
    },
  }
}
export type CatalogueService = ReturnType<typeof catalogueService>
