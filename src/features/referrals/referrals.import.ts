import type { Trx } from '../../platform/db/transaction.js'

/**
 * Requests for support brought in from the council's case system (features/ssd-import): the
 * referral as the council recorded it, received on its day, from the agency its source names.
 */
export type ImportedRequest = {
  partnershipId: string
  caseId: string
  referrerAgencyId: string
  receivedAt: Date
  /** The CIN referral source code and its words, as the council's system has them. */
  referralSource: string | null
  /** The council's referral id: the request's key, so importing again adds nothing. */
  councilReferralId: string
}

export const IMPORTED_ACCOUNT = 'Referral brought in from the council’s case management system. The account of what happened is held there.'

export async function insertImportedRequests(trx: Trx, rows: readonly ImportedRequest[]): Promise<void> {
  for (let at = 0; at < rows.length; at += 500)
    await trx
      .insertInto('requestForSupport')
      .values(
        rows.slice(at, at + 500).map((r) => ({
          partnershipId: r.partnershipId,
          caseId: r.caseId,
          referrerId: null,
          referrerAgencyId: r.referrerAgencyId,
          receivedAt: r.receivedAt,
          whatHappened: IMPORTED_ACCOUNT,
          contexts: [],
          otherChildren: null,
          // Shared by the council with its own partnership, for safeguarding.
          sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
          consentSought: false,
          sharingNote: null,
          idempotencyKey: `ssd:${r.partnershipId}:${r.councilReferralId}`,
          referralSource: r.referralSource,
        })),
      )
      .onConflict((oc) => oc.column('idempotencyKey').doNothing())
      .execute()
}
