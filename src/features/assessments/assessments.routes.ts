import { Router } from 'express'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import {
  formVersion,
  readCoAssessorsForm,
  readDecisionForm,
  readDiscussionForm,
  readExtensionForm,
  readInformationForm,
  readInterviewForm,
  readRecordForm,
  readReplaceForm,
} from './assessments.form.js'
import {
  presentCoAssessors,
  presentDecisionForm,
  presentDiscussionForm,
  presentReport,
  presentWorkspace,
  type WorkspaceOptions,
} from './assessments.presenter.js'
import { casePage, formPage, formPost, type PageOutcome } from '../../platform/http/case-pages.js'
import { formKey } from '../meetings/index.js'
import type { AssessmentsService, WorkspacePage } from './assessments.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'assessments/views'
const PAGE = '/cases/:caseId/assessment'
const workspacePath = (caseId: string) => `/cases/${caseId}/assessment`

/** What the person is told after the decision. */
const DECIDED = {
  NO_ASSESSMENT: 'The SQR service has been told of the decision not to assess.',
  CRIMINAL:
    'The police are to hold an AIM strategy discussion with children’s services and the youth offending service. The SQR service has been told.',
  WELFARE: 'The 6-week target and 8-week limit have started. Name the two co-assessors next. The SQR service has been told.',
} as const

/**
 * The AIM assessment of a case. Every route is about a child: the service loads the case
 * (checking and auditing access), then decides by role, status and whether the person is a
 * named co-assessor.
 */
export function assessmentsRoutes(registry: RouteRegistry, assessments: AssessmentsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  /** A form on the workspace, posted to `path`: not saved → the workspace again with the input kept; saved → back to it, at `anchor`. */
  const workspaceForm = (
    path: string,
    form: NonNullable<WorkspaceOptions['form']>,
    anchor: string,
    heading: string,
    save: (user: CurrentUser, caseId: string, requestId: string, body: unknown) => Promise<PageOutcome<WorkspacePage>>,
  ) =>
    route.post(
      path,
      READ,
      formPost(
        (user, caseId, requestId, req) => save(user, caseId, requestId, req.body),
        (r, req) => [
          `${VIEWS}/workspace.njk`,
          presentWorkspace(r.page, { values: formValues(req.body), errors: r.errors, form, conflict: r.conflict ?? false }),
        ],
        (_, caseId) => [{ heading }, `${workspacePath(caseId)}#${anchor}`],
      ),
    )

  route.get(PAGE, READ, casePage(assessments.workspace, `${VIEWS}/workspace.njk`, presentWorkspace))
  route.get(`${PAGE}/report`, READ, casePage(assessments.report, `${VIEWS}/report.njk`, presentReport))

  formPage(route, READ, `${PAGE}/decision`, `${VIEWS}/decision.njk`, presentDecisionForm, {
    show: assessments.decisionForm,
    save: (user, caseId, requestId, req) => assessments.decide(user, caseId, readDecisionForm(req.body), requestId),
    done: (r, caseId) => [
      { heading: 'Decision recorded', text: DECIDED[r.decision === 'NO_ASSESSMENT' ? 'NO_ASSESSMENT' : (r.route ?? 'WELFARE')] },
      workspacePath(caseId),
    ],
  })

  formPage(route, READ, `${PAGE}/strategy-discussion`, `${VIEWS}/strategy-discussion.njk`, presentDiscussionForm, {
    show: assessments.discussionForm,
    save: (user, caseId, requestId, req) => assessments.holdDiscussion(user, caseId, readDiscussionForm(req.body), requestId),
    done: (_, caseId) => [
      {
        heading: 'AIM strategy discussion recorded',
        text: 'The AIM assessment has started: the 6-week target and 8-week limit are running.',
      },
      workspacePath(caseId),
    ],
  })

  formPage(route, READ, `${PAGE}/co-assessors`, `${VIEWS}/co-assessors.njk`, presentCoAssessors, {
    show: assessments.coAssessorsForm,
    save: (user, caseId, requestId, req) => assessments.nameCoAssessors(user, caseId, readCoAssessorsForm(req.body), requestId),
    done: (_, caseId) => [
      { heading: 'Co-assessors named', text: 'Both have been notified and can now read the case for the assessment.' },
      workspacePath(caseId),
    ],
  })
  route.post(
    `${PAGE}/co-assessors/replace`,
    READ,
    formPost(
      (user, caseId, requestId, req) => assessments.replaceCoAssessor(user, caseId, readReplaceForm(req.body), requestId),
      (r, req) => [`${VIEWS}/co-assessors.njk`, presentCoAssessors(r.page, formValues(req.body), r.errors, 'replace')],
      (_, caseId) => [
        {
          heading: 'Co-assessor replaced',
          text: 'The new co-assessor has been notified. The one replaced no longer has access through the assessment.',
        },
        workspacePath(caseId),
      ],
    ),
  )

  workspaceForm(`${PAGE}/information`, 'information', 'information', 'Information added', (user, caseId, requestId, body) =>
    assessments.addInformation(user, caseId, { input: readInformationForm(body), key: formKey(body) }, requestId),
  )
  workspaceForm(`${PAGE}/interviews`, 'interview', 'interviews', 'Interview added', (user, caseId, requestId, body) =>
    assessments.addInterview(user, caseId, { input: readInterviewForm(body), key: formKey(body) }, requestId),
  )
  workspaceForm(`${PAGE}/record`, 'record', 'record', 'Draft record saved', (user, caseId, requestId, body) =>
    assessments.saveRecord(user, caseId, { input: readRecordForm(body), version: formVersion(body) }, requestId),
  )
  workspaceForm(`${PAGE}/extension`, 'extension', 'timescales', 'Assessment extended', (user, caseId, requestId, body) =>
    assessments.extend(user, caseId, readExtensionForm(body), requestId),
  )

  route.post(
    `${PAGE}/sign-off`,
    READ,
    formPost(
      (user, caseId, requestId, req) => assessments.signOff(user, caseId, { version: formVersion(req.body) }, requestId),
      (r) => [`${VIEWS}/workspace.njk`, presentWorkspace(r.page, { errors: r.errors, form: 'sign-off' })],
      (r, caseId) => [
        r.completed
          ? { heading: 'Assessment complete', text: 'Both co-assessors have signed it off. The review meeting is next.' }
          : { heading: 'You have signed the assessment off', text: 'It completes when the other co-assessor signs it off too.' },
        workspacePath(caseId),
      ],
    ),
  )

  return router
}
