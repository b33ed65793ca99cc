import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { MaterialDraft } from './restricted-material.rules.js'
import type { AbeRequestStatus } from './restricted-material.tables.js'

/** Metadata only: the summary is read on its own, under a grant. */
export type MaterialRow = {
  id: string
  harmedChildId: string
  reference: string
  interviewedOn: string
  heldByAgencyName: string
  hasSummary: boolean
  recordedByName: string
  recordedAt: Date
}

export type RequestRow = {
  id: string
  materialId: string
  requestedBy: string
  requestedByName: string
  reason: string
  requestedAt: Date
  status: AbeRequestStatus
  decidedBy: string | null
  decidedByName: string | null
  decidedAt: Date | null
  decisionNote: string | null
  expiresAt: Date | null
  revokedAt: Date | null
}

const iso = (d: Date) => d.toISOString().slice(0, 10)

/** SQL only. Every method takes the transaction it runs in. */
/** A case's ABE material with who holds and recorded it; the restricted summary itself is selected only where it is read. */
function materials(db: Executor, caseId: string) {
  return db
    .selectFrom('abeMaterial as m')
    .innerJoin('agency as g', 'g.id', 'm.heldByAgencyId')
    .innerJoin('appUser as u', 'u.id', 'm.recordedBy')
    .select([
      'm.id',
      'm.harmedChildId',
      'm.reference',
      'm.interviewedOn',
      'g.name as heldByAgencyName',
      sql<boolean>`(m.summary IS NOT NULL)`.as('hasSummary'),
      'u.displayName as recordedByName',
      'm.recordedAt',
    ])
    .where('m.caseId', '=', caseId)
}

export function restrictedMaterialRepository() {
  const requests = (db: Executor) =>
    db
      .selectFrom('abeAccessRequest as r')
      .innerJoin('appUser as u', 'u.id', 'r.requestedBy')
      .leftJoin('appUser as d', 'd.id', 'r.decidedBy')
      .select([
        'r.id',
        'r.materialId',
        'r.requestedBy',
        'u.displayName as requestedByName',
        'r.reason',
        'r.requestedAt',
        'r.status',
        'r.decidedBy',
        'd.displayName as decidedByName',
        'r.decidedAt',
        'r.decisionNote',
        'r.expiresAt',
        'r.revokedAt',
      ])

  return {
    /** The harmed children linked to a child (the link points from the child who harmed to the child harmed). */
    async harmedChildIds(db: Executor, childId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('childLink')
        .select('linkedChildId')
        .where('childId', '=', childId)
        .where('kind', '=', 'HARMED_CHILD')
        .orderBy('createdAt')
        .execute()
      return rows.map((r) => r.linkedChildId)
    },

    async listMaterials(db: Executor, caseId: string): Promise<MaterialRow[]> {
      const rows = await materials(db, caseId).orderBy('m.recordedAt').orderBy('m.id').execute()
      return rows.map((r) => ({ ...r, interviewedOn: iso(r.interviewedOn) }))
    },

    async findMaterial(db: Executor, caseId: string, materialId: string): Promise<(MaterialRow & { summary: string | null }) | undefined> {
      const row = await materials(db, caseId).select('m.summary').where('m.id', '=', materialId).executeTakeFirst()
      return row ? { ...row, interviewedOn: iso(row.interviewedOn) } : undefined
    },

    async insertMaterial(db: Executor, m: MaterialDraft & { partnershipId: string; caseId: string; recordedBy: string }): Promise<string> {
      const row = await db.insertInto('abeMaterial').values(m).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async listRequests(db: Executor, caseId: string): Promise<RequestRow[]> {
      return requests(db).where('r.caseId', '=', caseId).orderBy('r.requestedAt').orderBy('r.id').execute()
    },

    async findRequest(db: Executor, caseId: string, requestId: string): Promise<RequestRow | undefined> {
      return requests(db).where('r.caseId', '=', caseId).where('r.id', '=', requestId).executeTakeFirst()
    },

    async insertRequest(
      db: Executor,
      r: { partnershipId: string; caseId: string; materialId: string; requestedBy: string; reason: string; requestedAt: Date },
    ): Promise<string> {
      const row = await db.insertInto('abeAccessRequest').values(r).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    /** Decides a pending request; false if it was decided meanwhile. */
    async decide(
      db: Executor,
      id: string,
      d: { status: 'APPROVED' | 'REFUSED'; decidedBy: string; decidedAt: Date; decisionNote: string | null; expiresAt: Date | null },
    ): Promise<boolean> {
      const row = await db
        .updateTable('abeAccessRequest')
        .set(d)
        .where('id', '=', id)
        .where('status', '=', 'PENDING')
        .returning('id')
        .executeTakeFirst()
      return row !== undefined
    },

    /** Ends an approved grant now; false if it was not approved. */
    async revoke(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
      const row = await db
        .updateTable('abeAccessRequest')
        .set({ status: 'REVOKED', revokedBy: by, revokedAt: at })
        .where('id', '=', id)
        .where('status', '=', 'APPROVED')
        .returning('id')
        .executeTakeFirst()
      return row !== undefined
    },
  }
}
export type RestrictedMaterialRepository = ReturnType<typeof restrictedMaterialRepository>
