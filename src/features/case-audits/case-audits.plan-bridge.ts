import type { Trx } from '../../platform/db/transaction.js'
import { addReview, importPlan, type ImportedFinding, type ImportedPlan, type ImportPlanResult } from '../reviews/index.js'
import type { AuditRow, RecommendationRow } from './case-audits.repository.js'

type Recommendation = RecommendationRow & { auditId: string }
const iso = (d: Date) => d.toISOString().slice(0, 10)

/**
 * The audit's recommendations as an action plan (the reviews feature's ImportedPlan): finding 1 is
 * the audit's own recommendations, then one finding per deep dive. Each recommendation is a question
 * (R1, R2…; D1.1… for a deep dive) with one response per owning agency ("all" = every agency taking
 * part), carrying one action with its due date and named owner. Codes follow the order the
 * recommendations were made, so sending the plan again matches what is there (importPlan is idempotent).
 */
export function auditPlan(
  audit: AuditRow,
  deepDives: AuditRow[],
  recs: Recommendation[],
  takingPart: Map<string, string[]>,
  agencyNames: Map<string, string>,
): ImportedPlan {
  const finding = (number: string, title: string, narrative: string, of: AuditRow, prefix: string): ImportedFinding => ({
    number,
    title,
    narrative,
    questions: recs
      .filter((r) => r.auditId === of.id)
      .map((r, i) => {
        const owners = r.allAgencies ? (takingPart.get(of.id) ?? []) : r.ownerAgencyId ? [r.ownerAgencyId] : []
        return {
          code: `${prefix}${i + 1}`,
          text: r.text,
          responses: owners.map((agencyId) => ({
            agencyName: agencyNames.get(agencyId) ?? '',
            response: r.allAgencies ? 'For every agency taking part in the audit.' : 'Recommendation of the multi-agency case audit.',
            actions: [{ text: r.text, ragKey: null, targetDate: iso(r.dueOn), ...(r.ownerText ? { leadText: r.ownerText } : {}) }],
          })),
        }
      }),
  })
  return {
    findings: [
      finding('1', 'Multi-agency case audit recommendations', `Theme: ${audit.theme}. Panel: ${iso(audit.panelDate)}.`, audit, 'R'),
      ...deepDives.map((d, i) =>
        finding(
          String(i + 2),
          `Deep dive recommendations: ${d.theme}`,
          `Deep dive into cases of the audit “${audit.theme}”.`,
          d,
          `D${i + 1}.`,
        ),
      ),
    ].filter((f) => f.questions.length > 0),
  }
}

/**
 * Bridge to the reviews feature: creates (once) the review of kind MULTI_AGENCY_CASE_AUDIT for the
 * audit, then saves the plan through the reviews feature's idempotent importPlan, in the caller's
 * transaction. Returns the review's id and what was created.
 */
export async function sendRecommendationsToReview(
  trx: Trx,
  a: { partnershipId: string; actorId: string; audit: AuditRow; plan: ImportedPlan; at: Date },
): Promise<{ reviewId: string; result: ImportPlanResult }> {
  const name = `Multi-agency case audit: ${a.audit.theme} (${iso(a.audit.panelDate)}, ${a.audit.id.slice(0, 8)})`
  const reviewId =
    a.audit.reviewId ??
    (await addReview(trx, {
      partnershipId: a.partnershipId,
      kind: 'MULTI_AGENCY_CASE_AUDIT',
      name,
      reviewDate: iso(a.audit.panelDate),
      createdBy: a.actorId,
      at: a.at,
    }))
  const result = await importPlan(trx, { partnershipId: a.partnershipId, reviewId, actorId: a.actorId, plan: a.plan }, a.at)
  return { reviewId, result }
}
