import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { ExportChild, ExportEpisode } from './ssd-export.types.js'

/**
 * The partnership's HSB episodes as the export reads them: every child with a case, each case an
 * episode, with the council's ids where the case came from an import (so an export read back in
 * is the same episodes), its strategy discussions and meetings, assessments, conferences and the
 * people who worked with the child. A few statements for the whole partnership.
 */
type ChildRow = {
  id: string
  localCaseId: string | null
  givenNames: string
  familyName: string
  dateOfBirth: string
  gender: string | null
  ethnicity: string | null
  nhsNumber: string | null
  upn: string | null
}
type CaseRow = {
  id: string
  childId: string
  referralReceivedAt: Date
  closedAt: Date | null
  referralSource: string | null
  councilReferralId: string | null
}
type EventRow = { caseId: string; id: string; action: string; occurredAt: Date; detail: Record<string, unknown> }
type MeetingRow = { caseId: string; id: string; heldAt: Date; importedFrom: string | null }
type InvolvementRow = {
  childId: string
  id: string
  userId: string | null
  userName: string | null
  teamName: string | null
  agencyName: string
  startedAt: Date
  endedAt: Date | null
}

/**
 * The service keeps a child's ethnic group (the dashboard's categories), not the council's
 * 4-letter code: each group goes out as the DfE code for "any other … background" in it (so it is
 * read back into the same group), not knowing and refusing as NOBT and REFU.
 */
const DFE_CODE_OF_GROUP: Readonly<Record<string, string>> = {
  WHITE: 'WOTH',
  MIXED: 'MOTH',
  ASIAN: 'AOTH',
  BLACK: 'BOTH',
  OTHER: 'OOTH',
  NOT_STATED: 'REFU',
  NOT_KNOWN: 'NOBT',
}
const ethnicityCode = (stored: string | null) =>
  stored ? (/^[A-Z]{4}$/.test(stored) ? stored : (DFE_CODE_OF_GROUP[stored] ?? null)) : null

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)
const text = (x: unknown) => (typeof x === 'string' && x ? x : null)

export async function exportChildren(db: Executor, partnershipId: string): Promise<ExportChild[]> {
  const children = await sql<ChildRow>`
    SELECT ch.id, ch.local_case_id AS "localCaseId", ch.given_names AS "givenNames", ch.family_name AS "familyName",
           to_char(ch.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", ch.gender, ch.ethnicity, ch.nhs_number AS "nhsNumber", ch.upn
      FROM child ch
     WHERE ch.partnership_id = ${partnershipId} AND EXISTS (SELECT 1 FROM hsb_case c WHERE c.child_id = ch.id)
     ORDER BY ch.family_name, ch.given_names, ch.id`.execute(db)
  const cases = await sql<CaseRow>`
    SELECT c.id, c.child_id AS "childId", c.referral_received_at AS "referralReceivedAt", c.closed_at AS "closedAt",
           r.referral_source AS "referralSource",
           (SELECT s.source_key FROM ssd_record s WHERE s.partnership_id = c.partnership_id AND s.table_name = 'ssd_cin_episodes' AND s.target_id = c.id LIMIT 1) AS "councilReferralId"
      FROM hsb_case c LEFT JOIN request_for_support r ON r.case_id = c.id
     WHERE c.partnership_id = ${partnershipId}
     ORDER BY c.referral_received_at, c.id`.execute(db)
  const events = await sql<EventRow>`
    SELECT e.case_id AS "caseId", e.id::text AS id, e.action, e.occurred_at AS "occurredAt", e.detail
      FROM case_event e
     WHERE e.partnership_id = ${partnershipId}
       AND e.action IN ('IMPORTED_ASSESSMENT', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', 'IMPORTED_CONFERENCE', 'IMPORTED_CLOSURE')
     ORDER BY e.occurred_at, e.id`.execute(db)
  const meetings = await sql<MeetingRow>`
    SELECT m.case_id AS "caseId", m.id, m.held_at AS "heldAt", m.minutes->>'importedFrom' AS "importedFrom"
      FROM meeting m
     WHERE m.partnership_id = ${partnershipId} AND m.kind IN ('STRATEGY_MEETING', 'STRATEGY_DISCUSSION') AND m.status = 'FINALISED' AND m.held_at IS NOT NULL
     ORDER BY m.held_at, m.id`.execute(db)
  const involvements = await sql<InvolvementRow>`
    SELECT i.child_id AS "childId", i.id, i.user_id AS "userId", u.display_name AS "userName", t.name AS "teamName", a.name AS "agencyName",
           i.started_at AS "startedAt", i.ended_at AS "endedAt"
      FROM child_involvement i JOIN agency a ON a.id = i.agency_id LEFT JOIN team t ON t.id = i.team_id LEFT JOIN app_user u ON u.id = i.user_id
     WHERE i.partnership_id = ${partnershipId}
     ORDER BY i.started_at, i.id`.execute(db)

  const group = <T, K>(rows: readonly T[], key: (r: T) => K) => {
    const map = new Map<K, T[]>()
    for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), r])
    return map
  }
  const casesOf = group(cases.rows, (c) => c.childId)
  const eventsOf = group(events.rows, (e) => e.caseId)
  const meetingsOf = group(meetings.rows, (m) => m.caseId)
  const involvementsOf = group(involvements.rows, (i) => i.childId)

  return children.rows.map((ch) => ({
    personId: ch.localCaseId ?? ch.id,
    givenNames: ch.givenNames,
    familyName: ch.familyName,
    dateOfBirth: ch.dateOfBirth,
    gender: ch.gender,
    ethnicity: ethnicityCode(ch.ethnicity),
    nhsNumber: ch.nhsNumber,
    upn: ch.upn,
    episodes: (casesOf.get(ch.id) ?? []).map((c): ExportEpisode => {
      const evs = eventsOf.get(c.id) ?? []
      const closure = evs.find((e) => e.action === 'IMPORTED_CLOSURE')
      const from = c.referralReceivedAt.getTime()
      const until = c.closedAt ? c.closedAt.getTime() : Infinity
      return {
        referralId: c.councilReferralId ?? c.id,
        referralDate: iso(c.referralReceivedAt)!,
        referralSource: c.referralSource ? c.referralSource.split(' ')[0]! : null,
        closeDate: iso(c.closedAt),
        closeReason: text(closure?.detail.closeReason),
        strategyDiscussions: (meetingsOf.get(c.id) ?? []).map((m) => ({
          id: m.importedFrom ? m.importedFrom.replace(/^s47:/, '') : m.id,
          date: iso(m.heldAt)!,
          outcome: null,
        })),
        assessments: evs
          .filter((e) => e.action === 'IMPORTED_ASSESSMENT' || e.action === 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT')
          .map((e) => ({
            id: text(e.detail.councilId) ?? `assessment-${e.id}`,
            startDate: text(e.detail.startedAt) ?? iso(c.referralReceivedAt)!,
            completedDate: iso(e.occurredAt),
            factors: Array.isArray(e.detail.factors) ? e.detail.factors.map(String) : [],
          })),
        conferences: evs
          .filter((e) => e.action === 'IMPORTED_CONFERENCE')
          .map((e) => ({ id: text(e.detail.councilId) ?? `icpc-${e.id}`, date: iso(e.occurredAt)!, outcome: null })),
        // Who worked with the child while this episode was open.
        involvements: (involvementsOf.get(ch.id) ?? [])
          .filter((i) => i.startedAt.getTime() <= until && (i.endedAt === null || i.endedAt.getTime() >= from))
          .map((i) => ({
            id: `${i.id}`,
            // The council's worker id (a Social Work England number) is not held here: the worker is named instead.
            professionalId: null,
            professionalName: i.userName,
            team: i.teamName,
            agency: i.agencyName,
            startDate: iso(i.startedAt)!,
            endDate: iso(i.endedAt),
          })),
      }
    }),
  }))
}
