import type { Request, Response } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import type { routesFor } from '../../platform/http/routes.js'
import type { StepResult, StepView } from './case-step.js'
import type { ReferralsService } from './referrals.service.js'
import { parseAllocation, parseGreenDecision, parseOversight } from './routing.form.js'
import { presentAllocation, presentDecision } from './routing.presenter.js'
import { readScreeningForm } from './screening.form.js'
import { presentOversight, presentScreening } from './screening.presenter.js'
import { presentNotNow, type Values } from './step.presenter.js'

/** Pages about a case: the service decides (access, role, status) and audits. */
const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'referrals/views'

type Present<T> = (view: StepView<T>, values: Values, errors?: FieldError[], conflict?: boolean) => object

/** A step's page, or why it cannot be used now. */
function show<T>(res: Response, view: StepView<T>, template: string, present: () => object, status = 200) {
  if (view.notNow) return res.render(`${VIEWS}/not-now.njk`, presentNotNow(view.kase, view.notNow))
  res.status(status).render(`${VIEWS}/${template}`, present())
}

/** After a send: to the case with a message, or the form again with what was typed. */
function after<T>(
  req: Request,
  res: Response,
  caseId: string,
  result: StepResult<T>,
  template: string,
  present: Present<T>,
  values: Values,
  done: { heading: string; text?: string },
) {
  if (result.ok) {
    req.session.flash = done
    return res.redirect(`/cases/${caseId}`)
  }
  show(res, result.view, template, () => present(result.view, values, result.errors, result.status === 409), result.status)
}

export function caseStepRoutes(route: ReturnType<typeof routesFor>, referrals: ReferralsService) {
  route.get('/cases/:caseId/screening', READ, async (req, res) => {
    const view = await referrals.viewScreening(req.actor!, requireUuid(req.params.caseId), req.requestId)
    show(res, view, 'screening.njk', () => presentScreening(view, null))
  })

  route.post('/cases/:caseId/screening', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readScreeningForm(req.body)
    if (form.addBehaviour) {
      // "Add another behaviour": the same form with one more row; nothing is saved.
      const view = await referrals.viewScreening(req.actor!, caseId, req.requestId)
      return show(res, view, 'screening.njk', () => presentScreening(view, form))
    }
    const result = await referrals.recordScreening(req.actor!, caseId, form, req.requestId)
    after(
      req,
      res,
      caseId,
      result,
      'screening.njk',
      (view, _values, errors, conflict) => presentScreening(view, form, errors, conflict),
      {},
      { heading: 'Screening recorded', text: 'It is waiting for a team manager’s oversight.' },
    )
  })

  route.get('/cases/:caseId/screening/oversight', READ, async (req, res) => {
    const view = await referrals.viewOversight(req.actor!, requireUuid(req.params.caseId), req.requestId)
    show(res, view, 'oversight.njk', () => presentOversight(view))
  })

  route.post('/cases/:caseId/screening/oversight', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const parsed = parseOversight(req.body)
    const result = await referrals.recordOversight(req.actor!, caseId, parsed, req.requestId)
    const done = parsed.outcome === 'RETURN' ? { heading: 'Screening returned to the worker' } : { heading: 'Screening confirmed' }
    after(req, res, caseId, result, 'oversight.njk', presentOversight, formValues(req.body), done)
  })

  route.get('/cases/:caseId/decision', READ, async (req, res) => {
    const view = await referrals.viewDecision(req.actor!, requireUuid(req.params.caseId), req.requestId)
    show(res, view, 'decision.njk', () => presentDecision(view))
  })

  route.post('/cases/:caseId/decision', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const parsed = parseGreenDecision(req.body)
    const result = await referrals.recordDecision(req.actor!, caseId, parsed, req.requestId)
    const done = parsed.decision === 'EARLY_HELP' ? { heading: 'Early help requested' } : { heading: 'Case closed with no further action' }
    after(req, res, caseId, result, 'decision.njk', presentDecision, formValues(req.body), done)
  })

  route.get('/cases/:caseId/allocation', READ, async (req, res) => {
    const view = await referrals.viewAllocation(req.actor!, requireUuid(req.params.caseId), req.requestId)
    show(res, view, 'allocation.njk', () => presentAllocation(view))
  })

  route.post('/cases/:caseId/allocation', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await referrals.allocate(req.actor!, caseId, parseAllocation(req.body), req.requestId)
    after(req, res, caseId, result, 'allocation.njk', presentAllocation, formValues(req.body), { heading: 'Case allocated' })
  })
}
