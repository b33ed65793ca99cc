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
import { presentCoAssessors, presentDecisionForm, presentDiscussionForm, presentReport, presentWorkspace, type WorkspaceOptions } from './assessments.presenter.js'
import type { AssessmentsService, Outcome, WorkspacePage } from './assessments.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'assessments/views'
const workspacePath = (caseId: string) => `/cases/${caseId}/assessment`

/**
 * The AIM assessment of a case. Every route is about a child: the service loads the case
 * (checking and auditing access), then decides by role, status and whether the person is a
 * named co-assessor.
 */
export function assessmentsRoutes(registry: RouteRegistry, assessments: AssessmentsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  /** A workspace form: saved → back to the workspace at its section; refused → the workspace again with the input kept. */
  async function workspaceForm(req: Request, res: Response, form: NonNullable<WorkspaceOptions['form']>, anchor: string, heading: string, save: (caseId: string) => Promise<Outcome<WorkspacePage>>) {
    const caseId = requireUuid(req.params.caseId)
    const result = await save(caseId)
    if (!result.ok) {
      return res.status(result.status).render(`${VIEWS}/workspace.njk`, presentWorkspace(result.page, { values: formValues(req.body), errors: result.errors, form, conflict: result.conflict ?? false }))
    }
    req.session.flash = { heading }
    res.redirect(`${workspacePath(caseId)}#${anchor}`)
  }

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

  route.post('/cases/:caseId/assessment/decision', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await assessments.decide(req.actor!, caseId, readDecisionForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/decision.njk`, presentDecisionForm(result.page, formValues(req.body), result.errors))
    const text =
      result.decision === 'NO_ASSESSMENT'
        ? 'The SQR service has been told of the decision not to assess.'
        : result.route === 'CRIMINAL'
          ? 'The police are to hold an AIM strategy discussion with children’s services and the youth offending service. The SQR service has been told.'
          : 'The 6-week target and 8-week limit have started. Name the two co-assessors next. The SQR service has been told.'
    req.session.flash = { heading: 'Decision recorded', text }
    res.redirect(workspacePath(caseId))
  })

  route.get('/cases/:caseId/assessment/strategy-discussion', READ, async (req, res) => {
    const options = await assessments.discussionForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/strategy-discussion.njk`, presentDiscussionForm(options))
  })

  route.post('/cases/:caseId/assessment/strategy-discussion', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await assessments.holdDiscussion(req.actor!, caseId, readDiscussionForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/strategy-discussion.njk`, presentDiscussionForm(result.page, formValues(req.body), result.errors))
    req.session.flash = { heading: 'AIM strategy discussion recorded', text: 'The AIM assessment has started: the 6-week target and 8-week limit are running.' }
    res.redirect(workspacePath(caseId))
  })

  route.get('/cases/:caseId/assessment/co-assessors', READ, async (req, res) => {
    const page = await assessments.coAssessorsForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/co-assessors.njk`, presentCoAssessors(page))
  })

  route.post('/cases/:caseId/assessment/co-assessors', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await assessments.nameCoAssessors(req.actor!, caseId, readCoAssessorsForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/co-assessors.njk`, presentCoAssessors(result.page, formValues(req.body), result.errors, 'name'))
    req.session.flash = { heading: 'Co-assessors named', text: 'Both have been notified and can now read the case for the assessment.' }
    res.redirect(workspacePath(caseId))
  })

  route.post('/cases/:caseId/assessment/co-assessors/replace', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await assessments.replaceCoAssessor(req.actor!, caseId, readReplaceForm(req.body), req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/co-assessors.njk`, presentCoAssessors(result.page, formValues(req.body), result.errors, 'replace'))
    req.session.flash = { heading: 'Co-assessor replaced', text: 'The new co-assessor has been notified. The one replaced no longer has access through the assessment.' }
    res.redirect(workspacePath(caseId))
  })

  route.post('/cases/:caseId/assessment/information', READ, (req, res) =>
    workspaceForm(req, res, 'information', 'information', 'Information added', (caseId) => assessments.addInformation(req.actor!, caseId, { input: readInformationForm(req.body), key: formKey(req.body) }, req.requestId)),
  )

  route.post('/cases/:caseId/assessment/interviews', READ, (req, res) =>
    workspaceForm(req, res, 'interview', 'interviews', 'Interview added', (caseId) => assessments.addInterview(req.actor!, caseId, { input: readInterviewForm(req.body), key: formKey(req.body) }, req.requestId)),
  )

  route.post('/cases/:caseId/assessment/record', READ, (req, res) =>
    workspaceForm(req, res, 'record', 'record', 'Draft record saved', (caseId) => assessments.saveRecord(req.actor!, caseId, { input: readRecordForm(req.body), version: formVersion(req.body) }, req.requestId)),
  )

  route.post('/cases/:caseId/assessment/extension', READ, (req, res) =>
    workspaceForm(req, res, 'extension', 'timescales', 'Assessment extended', (caseId) => assessments.extend(req.actor!, caseId, readExtensionForm(req.body), req.requestId)),
  )

  route.post('/cases/:caseId/assessment/sign-off', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await assessments.signOff(req.actor!, caseId, { version: formVersion(req.body) }, req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/workspace.njk`, presentWorkspace(result.page, { errors: result.errors, form: 'sign-off' }))
    req.session.flash = result.completed
      ? { heading: 'Assessment complete', text: 'Both co-assessors have signed it off. The review meeting is next.' }
      : { heading: 'You have signed the assessment off', text: 'It completes when the other co-assessor signs it off too.' }
    res.redirect(workspacePath(caseId))
  })

  return router
}
