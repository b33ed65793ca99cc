import { sql } from 'kysely'
import type { Trx } from '../../platform/db/transaction.js'
import type { GatheredItem } from './subject-access.gather.js'
import type { ItemField, ReasonCode, Redaction, RedactionPart, RequestStatus, SubjectKind } from './subject-access.rules.js'

/** A request as its pages show it, with the child's name and the people who took each step. */
export type RequestRow = {
  id: string
  reference: string
  subjectKind: SubjectKind
  childId: string
  childName: string
  childDateOfBirth: Date
  childCaseNumber: string | null
  /** The child's record is restricted, and whether the person reading is named on the restriction. */
  childRestricted: boolean
  namedOnRestriction: boolean
  requesterName: string | null
  requesterRelationship: string | null
  receivedOn: Date
  dueOn: Date
  identityChecked: boolean
  identityHow: string | null
  status: RequestStatus
  recordedBy: string
  recordedByName: string
  recordedAt: Date
  gatheredBy: string | null
  gatheredAt: Date | null
  submittedBy: string | null
  submittedByName: string | null
  submittedAt: Date | null
  decidedBy: string | null
  decidedByName: string | null
  decidedAt: Date | null
  declineReason: string | null
  releasedAt: Date | null
}
export type ItemRow = { id: string; source: string; sourceId: string; title: string; occurredAt: Date | null; fields: ItemField[] }
export type RedactionRow = Redaction & { id: string; itemId: string; preMarked: boolean; redactedByName: string; redactedAt: Date }
export type DecisionRow = {
  outcome: 'APPROVED' | 'DECLINED'
  reason: string | null
  decidedByName: string
  decidedAt: Date
  submittedByName: string
}
export type ChildCandidate = {
  id: string
  isRestricted: boolean
  namedOnRestriction: boolean
  givenNames: string
  familyName: string
  dateOfBirth: string
  nhsNumber: string | null
  upn: string | null
  localCaseId: string | null
}
export type NewRequest = {
  partnershipId: string
  subjectKind: SubjectKind
  childId: string
  requesterName: string | null
  requesterRelationship: string | null
  receivedOn: string
  dueOn: string
  identityChecked: boolean
  identityHow: string | null
  recordedBy: string
  idempotencyKey: string
}

const name = (col: string) => sql<string>`(SELECT display_name FROM app_user u WHERE u.id = ${sql.ref(col)})`

/** SQL only: the subject access tables, and the child table to find the subject. */
export function subjectAccessRepository() {
  const named = (child: string, userId: string) =>
    sql<boolean>`EXISTS (SELECT 1 FROM child_restricted_access ra WHERE ra.child_id = ${sql.ref(child)} AND ra.user_id = ${userId})`
  const requests = (trx: Trx, userId: string) =>
    trx
      .selectFrom('subjectAccessRequest as r')
      .innerJoin('child as c', 'c.id', 'r.childId')
      .select([
        'r.id',
        'r.reference',
        'r.subjectKind',
        'r.childId',
        sql<string>`c.given_names || ' ' || c.family_name`.as('childName'),
        'c.dateOfBirth as childDateOfBirth',
        'c.localCaseId as childCaseNumber',
        'c.isRestricted as childRestricted',
        named('c.id', userId).as('namedOnRestriction'),
        'r.requesterName',
        'r.requesterRelationship',
        'r.receivedOn',
        'r.dueOn',
        'r.identityChecked',
        'r.identityHow',
        'r.status',
        'r.recordedBy',
        name('r.recorded_by').as('recordedByName'),
        'r.recordedAt',
        'r.gatheredBy',
        'r.gatheredAt',
        'r.submittedBy',
        name('r.submitted_by').as('submittedByName'),
        'r.submittedAt',
        'r.decidedBy',
        name('r.decided_by').as('decidedByName'),
        'r.decidedAt',
        'r.declineReason',
        'r.releasedAt',
      ])

  return {
    async list(trx: Trx, partnershipId: string, userId: string): Promise<RequestRow[]> {
      return (await requests(trx, userId)
        .where('r.partnershipId', '=', partnershipId)
        .orderBy(sql`r.status = 'APPROVED'`)
        .orderBy('r.dueOn')
        .orderBy('r.reference')
        .limit(500)
        .execute()) as RequestRow[]
    },

    /** One request; `forUpdate` locks its row until the transaction ends (every step that moves it on). */
    async find(trx: Trx, partnershipId: string, id: string, userId: string, forUpdate = false): Promise<RequestRow | undefined> {
      const q = requests(trx, userId).where('r.partnershipId', '=', partnershipId).where('r.id', '=', id)
      return (await (forUpdate ? q.forUpdate('r') : q).executeTakeFirst()) as RequestRow | undefined
    },

    /** The people who made a redaction on the request by hand (not the ones marked when gathering). */
    async redactors(trx: Trx, requestId: string): Promise<string[]> {
      const rows = await trx
        .selectFrom('subjectAccessRedaction')
        .select('redactedBy')
        .distinct()
        .where('requestId', '=', requestId)
        .where('preMarked', '=', false)
        .execute()
      return rows.map((r) => r.redactedBy).filter((u): u is string => !!u)
    },

    /** Searches for a child this person ran in the last `minutes` (the children feature's count, across features). */
    async searchesInWindow(trx: Trx, userId: string, minutes: number): Promise<number> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`child_search:${userId}`}))`.execute(trx)
      const row = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_log
        WHERE user_id = ${userId} AND action = 'child:search' AND outcome = 'ALLOWED'
          AND occurred_at > now() - make_interval(mins => ${minutes})`.execute(trx)
      return row.rows[0]?.n ?? 0
    },

    async findByKey(trx: Trx, partnershipId: string, key: string): Promise<string | undefined> {
      const row = await trx
        .selectFrom('subjectAccessRequest')
        .select('id')
        .where('partnershipId', '=', partnershipId)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst()
      return row?.id
    },

    /** A new request with the next reference of the year; null when this form's key made one already. */
    async create(trx: Trx, r: NewRequest, year: number, referenceOf: (year: number, n: number) => string): Promise<string | null> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`subject-access:${r.partnershipId}`}))`.execute(trx)
      const { n } = await trx
        .selectFrom('subjectAccessRequest')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('partnershipId', '=', r.partnershipId)
        .where('reference', 'like', `SAR-${year}-%`)
        .executeTakeFirstOrThrow()
      const row = await trx
        .insertInto('subjectAccessRequest')
        .values({ ...r, reference: referenceOf(year, Number(n) + 1) })
        .onConflict((oc) => oc.columns(['partnershipId', 'idempotencyKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? null
    },

    /** Children who may be the one asked about: the same identifier, or the same date of birth (ranked by the caller). */
    async candidates(
      trx: Trx,
      partnershipId: string,
      q: { childId: string | null; identifier: string | null; dateOfBirth: string | null },
      userId: string,
    ): Promise<ChildCandidate[]> {
      if (!q.childId && !q.identifier && !q.dateOfBirth) return []
      return trx
        .selectFrom('child')
        .select([
          'id',
          'isRestricted',
          named('child.id', userId).as('namedOnRestriction'),
          'givenNames',
          'familyName',
          sql<string>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('dateOfBirth'),
          'nhsNumber',
          'upn',
          'localCaseId',
        ])
        .where('partnershipId', '=', partnershipId)
        .where((eb) =>
          eb.or([
            ...(q.childId ? [eb('id', '=', q.childId)] : []),
            ...(q.identifier
              ? [
                  eb(sql`upper(replace(local_case_id, ' ', ''))`, '=', q.identifier),
                  eb(sql`replace(nhs_number, ' ', '')`, '=', q.identifier),
                  eb(sql`upper(upn)`, '=', q.identifier),
                ]
              : []),
            ...(q.dateOfBirth ? [eb(sql`date_of_birth`, '=', sql`${q.dateOfBirth}::date`)] : []),
          ]),
        )
        .limit(200)
        .execute()
    },

    async child(trx: Trx, partnershipId: string, childId: string, userId: string) {
      return trx
        .selectFrom('child')
        .select(['id', 'givenNames', 'familyName', 'isRestricted', named('child.id', userId).as('namedOnRestriction')])
        .where('partnershipId', '=', partnershipId)
        .where('id', '=', childId)
        .executeTakeFirst()
    },

    async items(trx: Trx, requestId: string): Promise<ItemRow[]> {
      return trx
        .selectFrom('subjectAccessItem')
        .select(['id', 'source', 'sourceId', 'title', 'occurredAt', 'fields'])
        .where('requestId', '=', requestId)
        .orderBy(sql`occurred_at NULLS FIRST`)
        .orderBy('source')
        .orderBy('id')
        .execute()
    },

    async item(trx: Trx, requestId: string, itemId: string): Promise<ItemRow | undefined> {
      return trx
        .selectFrom('subjectAccessItem')
        .select(['id', 'source', 'sourceId', 'title', 'occurredAt', 'fields'])
        .where('requestId', '=', requestId)
        .where('id', '=', itemId)
        .executeTakeFirst()
    },

    /** Adds the items not gathered before (an item gathered once is kept as it was); returns the new ones with their ids. */
    async addItems(
      trx: Trx,
      partnershipId: string,
      requestId: string,
      gatheredBy: string,
      items: readonly GatheredItem[],
    ): Promise<(GatheredItem & { id: string })[]> {
      const added: (GatheredItem & { id: string })[] = []
      for (let at = 0; at < items.length; at += 500) {
        const batch = items.slice(at, at + 500)
        if (!batch.length) continue
        const rows = await trx
          .insertInto('subjectAccessItem')
          .values(
            batch.map((i) => ({
              partnershipId,
              requestId,
              source: i.source,
              sourceId: i.sourceId,
              title: i.title,
              occurredAt: i.occurredAt,
              fields: JSON.stringify(i.fields),
              gatheredBy,
            })),
          )
          .onConflict((oc) => oc.columns(['requestId', 'source', 'sourceId']).doNothing())
          .returning(['id', 'source', 'sourceId'])
          .execute()
        for (const r of rows) added.push({ ...batch.find((i) => i.source === r.source && i.sourceId === r.sourceId)!, id: r.id })
      }
      return added
    },

    async redactions(trx: Trx, requestId: string): Promise<RedactionRow[]> {
      return trx
        .selectFrom('subjectAccessRedaction as x')
        .select([
          'x.id',
          'x.itemId',
          'x.part',
          'x.fieldKey',
          'x.words',
          'x.reasonCode',
          'x.reasonText',
          'x.preMarked',
          name('x.redacted_by').as('redactedByName'),
          'x.redactedAt',
        ])
        .where('x.requestId', '=', requestId)
        .orderBy('x.redactedAt')
        .orderBy('x.id')
        .execute()
    },

    /** Redactions; one made by a form already sent is not made twice (its key). Returns how many were added. */
    async addRedactions(
      trx: Trx,
      rows: readonly {
        partnershipId: string
        requestId: string
        itemId: string
        part: RedactionPart
        fieldKey: string | null
        words: string | null
        reasonCode: ReasonCode
        reasonText: string | null
        preMarked?: boolean
        redactedBy: string
        idempotencyKey?: string | null
      }[],
    ): Promise<number> {
      if (!rows.length) return 0
      let n = 0
      for (let at = 0; at < rows.length; at += 500) {
        const result = await trx
          .insertInto('subjectAccessRedaction')
          .values(rows.slice(at, at + 500).map((r) => ({ ...r, idempotencyKey: r.idempotencyKey ?? null })))
          .onConflict((oc) => oc.columns(['requestId', 'idempotencyKey']).doNothing())
          .returning('id')
          .execute()
        n += result.length
      }
      return n
    },

    async decisions(trx: Trx, requestId: string): Promise<DecisionRow[]> {
      return trx
        .selectFrom('subjectAccessDecision as d')
        .select([
          'd.outcome',
          'd.reason',
          name('d.decided_by').as('decidedByName'),
          'd.decidedAt',
          name('d.submitted_by').as('submittedByName'),
        ])
        .where('d.requestId', '=', requestId)
        .orderBy('d.decidedAt')
        .execute()
    },

    /** Moves the request on from one of `from` only: false when someone else moved it first. */
    async move(
      trx: Trx,
      id: string,
      from: readonly RequestStatus[],
      set: {
        status: RequestStatus
        gatheredBy?: string
        gatheredAt?: Date
        submittedBy?: string
        submittedAt?: Date
        decidedBy?: string | null
        decidedAt?: Date | null
        declineReason?: string | null
      },
    ): Promise<boolean> {
      const result = await trx
        .updateTable('subjectAccessRequest')
        .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    async recordDecision(
      trx: Trx,
      d: {
        partnershipId: string
        requestId: string
        submittedBy: string
        submittedAt: Date
        outcome: 'APPROVED' | 'DECLINED'
        reason: string | null
        decidedBy: string
      },
    ) {
      await trx.insertInto('subjectAccessDecision').values(d).execute()
    },

    async released(trx: Trx, id: string, by: string, at: Date) {
      await trx
        .updateTable('subjectAccessRequest')
        .set({ releasedBy: by, releasedAt: at })
        .where('id', '=', id)
        .where('releasedAt', 'is', null)
        .execute()
    },
  }
}
export type SubjectAccessRepository = ReturnType<typeof subjectAccessRepository>
