import { Router, type Request, type Response } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import {
  formKey,
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
import type { AssessmentsService, Outcome, WorkspacePage } from './assessments.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'assessments/views'
const workspacePath = (caseId: string) => `/cases/${caseId}/assessment`

type Flash = { heading: string; text?: string }
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

  /**
   * A form's POST: saved → a flash and back to the workspace (at `anchor`); not saved → its page
   * again (`again` gives the view and what it shows), with the status the service gave.
   */
  async function submit<R extends { ok: true } | { ok: false; status: number }>(
    req: Request,
    res: Response,
    save: (caseId: string) => Promise<R>,
    again: (failed: Extract<R, { ok: false }>) => [view: string, context: object],
    flash: (saved: Extract<R, { ok: true }>) => Flash,
    anchor = '',
  ) {
    const caseId = requireUuid(req.params.caseId)
    const result = await save(caseId)
    if (!result.ok) {
      const failed = result as Extract<R, { ok: false }>
      const [view, context] = again(failed)
      return res.status(failed.status).render(`${VIEWS}/${view}`, context)
    }
    req.session.flash = flash(result as Extract<R, { ok: true }>)
    res.redirect(`${workspacePath(caseId)}${anchor}`)
  }

  /** A form on the workspace: not saved → the workspace again with the input kept. */
  const workspaceForm = (
    req: Request,
    res: Response,
    form: NonNullable<WorkspaceOptions['form']>,
    anchor: string,
    heading: string,
    save: (caseId: string) => Promise<Outcome<WorkspacePage>>,
  ) =>
    submit(
      req,
      res,
      save,
      (r) => [
        'workspace.njk',
        presentWorkspace(r.page, { values: formValues(req.body), errors: r.errors, form, conflict: r.conflict ?? false }),
      ],
      () => ({ heading }),
      `#${anchor}`,
    )

  route.get('/cases/:caseId/assessment', READ, async (req, res) => {
    const page = await assessments.workspace(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/workspace.njk`, presentWorkspace(page))
  })

  route.get('/cases/:caseId/assessment/report', READ, async (req, res) => {
    const page = await assessments.report(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/report.njk`, presentReport(page))
  })

  route.get('/cases/:caseId/assessment/decision', READ, async (req, res) => {
    const options = await assessments.decisionForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/decision.njk`, presentDecisionForm(options))
  })

  route.post('/cases/:caseId/assessment/decision', READ, (req, res) =>
    submit(
      req,
      res,
      (caseId) => assessments.decide(req.actor!, caseId, readDecisionForm(req.body), req.requestId),
      (r) => ['decision.njk', presentDecisionForm(r.page, formValues(req.body), r.errors)],
      (r) => ({ heading: 'Decision recorded', text: DECIDED[r.decision === 'NO_ASSESSMENT' ? 'NO_ASSESSMENT' : (r.route ?? 'WELFARE')] }),
    ),
  )

  route.get('/cases/:caseId/assessment/strategy-discussion', READ, async (req, res) => {
    const options = await assessments.discussionForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/strategy-discussion.njk`, presentDiscussionForm(options))
  })

  route.post('/cases/:caseId/assessment/strategy-discussion', READ, (req, res) =>
    submit(
      req,
      res,
      (caseId) => assessments.holdDiscussion(req.actor!, caseId, readDiscussionForm(req.body), req.requestId),
      (r) => ['strategy-discussion.njk', presentDiscussionForm(r.page, formValues(req.body), r.errors)],
      () => ({
        heading: 'AIM strategy discussion recorded',
        text: 'The AIM assessment has started: the 6-week target and 8-week limit are running.',
      }),
    ),
  )

  route.get('/cases/:caseId/assessment/co-assessors', READ, async (req, res) => {
    const page = await assessments.coAssessorsForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/co-assessors.njk`, presentCoAssessors(page))
  })

  route.post('/cases/:caseId/assessment/co-assessors', READ, (req, res) =>
    submit(
      req,
      res,
      (caseId) => assessments.nameCoAssessors(req.actor!, caseId, readCoAssessorsForm(req.body), req.requestId),
      (r) => ['co-assessors.njk', presentCoAssessors(r.page, formValues(req.body), r.errors, 'name')],
      () => ({ heading: 'Co-assessors named', text: 'Both have been notified and can now read the case for the assessment.' }),
    ),
  )

  route.post('/cases/:caseId/assessment/co-assessors/replace', READ, (req, res) =>
    submit(
      req,
      res,
      (caseId) => assessments.replaceCoAssessor(req.actor!, caseId, readReplaceForm(req.body), req.requestId),
      (r) => ['co-assessors.njk', presentCoAssessors(r.page, formValues(req.body), r.errors, 'replace')],
      () => ({
        heading: 'Co-assessor replaced',
        text: 'The new co-assessor has been notified. The one replaced no longer has access through the assessment.',
      }),
    ),
  )

  route.post('/cases/:caseId/assessment/information', READ, (req, res) =>
    workspaceForm(req, res, 'information', 'information', 'Information added', (caseId) =>
      assessments.addInformation(req.actor!, caseId, { input: readInformationForm(req.body), key: formKey(req.body) }, req.requestId),
    ),
  )

  route.post('/cases/:caseId/assessment/interviews', READ, (req, res) =>
    workspaceForm(req, res, 'interview', 'interviews', 'Interview added', (caseId) =>
      assessments.addInterview(req.actor!, caseId, { input: readInterviewForm(req.body), key: formKey(req.body) }, req.requestId),
    ),
  )

  route.post('/cases/:caseId/assessment/record', READ, (req, res) =>
    workspaceForm(req, res, 'record', 'record', 'Draft record saved', (caseId) =>
      assessments.saveRecord(req.actor!, caseId, { input: readRecordForm(req.body), version: formVersion(req.body) }, req.requestId),
    ),
  )

  route.post('/cases/:caseId/assessment/extension', READ, (req, res) =>
    workspaceForm(req, res, 'extension', 'timescales', 'Assessment extended', (caseId) =>
      assessments.extend(req.actor!, caseId, readExtensionForm(req.body), req.requestId),
    ),
  )

  route.post('/cases/:caseId/assessment/sign-off', READ, (req, res) =>
    submit(
      req,
      res,
      (caseId) => assessments.signOff(req.actor!, caseId, { version: formVersion(req.body) }, req.requestId),
      (r) => ['workspace.njk', presentWorkspace(r.page, { errors: r.errors, form: 'sign-off' })],
      (r) =>
        r.completed
          ? { heading: 'Assessment complete', text: 'Both co-assessors have signed it off. The review meeting is next.' }
          : { heading: 'You have signed the assessment off', text: 'It completes when the other co-assessor signs it off too.' },
    ),
  )

  return router
}
