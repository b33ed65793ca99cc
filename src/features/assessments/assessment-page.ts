import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import type { AgencyOption, AssessmentRow, AssessmentsRepository, ClockRow, CoAssessorRow, ExtensionRow, InformationRow, InterviewRow } from './assessments.repository.js'
import { ASSESSOR_ROLES, DECIDER_ROLES, DISCUSSION_ROLES, MANAGER_ROLES, emptyRecord, readRecord, type AssessmentRecord } from './assessments.rules.js'

export type WorkspaceAccess = {
  isCoAssessor: boolean
  /** Add information and interviews, save the record: a named co-assessor while the assessment is under way. */
  canRecord: boolean
  canSignOff: boolean
  canExtend: boolean
  canNameCoAssessors: boolean
  canDecide: boolean
  canHoldDiscussion: boolean
}

export type WorkspacePage = {
  kase: CaseForAccess
  assessment: AssessmentRow | null
  /** Current co-assessors (not replaced). */
  coAssessors: CoAssessorRow[]
  /** Co-assessors who were replaced (their access ended then). */
  replaced: CoAssessorRow[]
  information: InformationRow[]
  interviews: InterviewRow[]
  extensions: ExtensionRow[]
  clocks: ClockRow[]
  record: AssessmentRecord
  agencies: AgencyOption[]
  access: WorkspaceAccess
  today: string
}

const hasRole = (user: CurrentUser, roles: readonly string[]) => user.roles.some((r) => roles.includes(r))

/** Everything the assessment workspace shows, in at most seven statements whatever its size. */
export async function loadWorkspace(trx: Trx, repo: AssessmentsRepository, user: CurrentUser, kase: CaseForAccess, now: Date): Promise<WorkspacePage> {
  const assessment = (await repo.findByCase(trx, kase.id)) ?? null
  const agencies = await repo.listAgencies(trx, user.partnershipId)
  const all = assessment ? await repo.listCoAssessors(trx, assessment.id) : []
  const coAssessors = all.filter((c) => !c.endedAt)
  const under = kase.status === 'AIM_ASSESSMENT' && !!assessment && !assessment.completedAt
  const isCoAssessor = under && coAssessors.some((c) => c.userId === user.id)
  const canWork = isCoAssessor && hasRole(user, ASSESSOR_ROLES)
  return {
    kase,
    assessment,
    coAssessors,
    replaced: all.filter((c) => c.endedAt),
    information: assessment ? await repo.listInformation(trx, assessment.id) : [],
    interviews: assessment ? await repo.listInterviews(trx, assessment.id) : [],
    extensions: assessment ? await repo.listExtensions(trx, assessment.id) : [],
    clocks: assessment ? await repo.aimClocks(trx, kase.id) : [],
    record: assessment ? readRecord(assessment.record) : emptyRecord(),
    agencies,
    today: londonDate(now),
    access: {
      isCoAssessor,
      canRecord: canWork,
      canSignOff: canWork && coAssessors.length === 2,
      canExtend: under && hasRole(user, MANAGER_ROLES),
      canNameCoAssessors: under && hasRole(user, MANAGER_ROLES),
      canDecide: kase.status === 'STRATEGY_MEETING_HELD' && hasRole(user, DECIDER_ROLES),
      canHoldDiscussion: kase.status === 'AIM_STRATEGY_DISCUSSION_DUE' && hasRole(user, DISCUSSION_ROLES),
    },
  }
}
