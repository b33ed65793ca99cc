import { londonDate } from '../../platform/clocks/london-time.js'
import { directory, type AgencyOption } from '../../platform/organisation/directory.js'
import type { CaseAct, CaseForAccess } from '../cases/index.js'
import type {
  AssessmentRow,
  AssessmentsRepository,
  ClockRow,
  CoAssessorRow,
  ExtensionRow,
  InformationRow,
  InterviewRow,
} from './assessments.repository.js'
import { emptyRecord, readRecord, type AssessmentRecord } from './assessments.rules.js'

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

/** Everything the assessment workspace shows, in at most seven statements whatever its size. */
export async function loadWorkspace(act: CaseAct, repo: AssessmentsRepository, now: Date): Promise<WorkspacePage> {
  const { trx, user, kase } = act
  const assessment = (await repo.findByCase(trx, kase.id)) ?? null
  const agencies = await directory().agencies(trx, user.partnershipId)
  const all = assessment ? await repo.listCoAssessors(trx, assessment.id) : []
  const coAssessors = all.filter((c) => !c.endedAt)
  // The pathway says who may take each step now; the assessment adds that it is under way, and who its co-assessors are.
  const under = !!assessment && !assessment.completedAt
  const isCoAssessor = under && kase.status === 'AIM_ASSESSMENT' && coAssessors.some((c) => c.userId === user.id)
  const canWork = isCoAssessor && act.may('RECORD_ASSESSMENT_WORK')
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
      canSignOff: canWork && act.may('SIGN_OFF_ASSESSMENT') && coAssessors.length === 2,
      canExtend: under && act.may('EXTEND_AIM_ASSESSMENT'),
      canNameCoAssessors: under && act.may('NAME_CO_ASSESSORS'),
      canDecide: act.may('DECIDE_AIM_ASSESSMENT'),
      canHoldDiscussion: act.may('HOLD_AIM_STRATEGY_DISCUSSION'),
    },
  }
}
