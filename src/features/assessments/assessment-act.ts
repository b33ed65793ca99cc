import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { HttpError } from '../../platform/http/errors.js'
import type { CaseAct, CaseStep } from '../cases/index.js'

/**
 * How the assessment's steps are audited: `assessment:<what>` on the assessment (or none yet),
 * naming the case. The kernel decides and refuses; these keep the assessment's own audit names.
 */
export const assessmentSubject = (act: CaseAct, what: string, recordId: string | null = null, detail: AuditDetail = {}): AuditSubject => ({
  action: `assessment:${what}`,
  recordType: 'assessment',
  recordId,
  detail: { caseId: act.kase.id, ...detail },
})

/** Refuses unless this person may take the step on the case now: the role (403), then the pathway (409), in the transition table's words. */
export const stepOn = (act: CaseAct, step: CaseStep): void => act.step(step, assessmentSubject(act, step))

/** Refuses what the assessment does not allow (its DENIED entry survives the rollback). */
export const refuseOn = (act: CaseAct, what: string, error: HttpError, recordId: string | null = null): never =>
  act.refuse(error, assessmentSubject(act, what, recordId, { status: error.status }))
