import type { Request, Response } from 'express'
import type { CurrentUser } from '../../platform/auth/current-user.js'
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
type Done = { heading: string; text?: string }

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
  done: Done,
) {
  if (result.ok) {
    req.session.flash = done
    return res.redirect(`/cases/${caseId}`)
  }
  show(res, result.view, template, () => present(result.view, values, result.errors, result.status === 409), result.status)
}

/** A step whose page is a form of its own: GET shows it (or why not now), POST sends it, then to the case or the form again. */
function formStep(route: ReturnType<typeof routesFor>) {
  return <T, F>(
    path: string,
    template: string,
    step: {
      view: (user: CurrentUser, caseId: string, requestId: string) => Promise<StepView<T>>
      present: Present<T>
      parse: (body: unknown) => F
      send: (user: CurrentUser, caseId: string, form: F, requestId: string) => Promise<StepResult<T>>
      done: (form: F) => Done
    },
  ) => {
    route.get(path, READ, async (req, res) => {
      const view = await step.view(req.actor!, requireUuid(req.params.caseId), req.requestId)
      show(res, view, template, () => step.present(view, {}))
    })
    route.post(path, READ, async (req, res) => {
      const caseId = requireUuid(req.params.caseId)
      const form = step.parse(req.body)
      const result = await step.send(req.actor!, caseId, form, req.requestId)
      after(req, res, caseId, result, template, step.present, formValues(req.body), step.done(form))
    })
  }
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

  // Oversight, the green decision and allocation: a page with a form, sent back to the same path.
  const step = formStep(route)
  step('/cases/:caseId/screening/oversight', 'oversight.njk', {
    view: referrals.viewOversight,
    present: presentOversight,
    parse: parseOversight,
    send: referrals.recordOversight,
    done: (parsed) => (parsed.outcome === 'RETURN' ? { heading: 'Screening returned to the worker' } : { heading: 'Screening confirmed' }),
  })
  step('/cases/:caseId/decision', 'decision.njk', {
    view: referrals.viewDecision,
    present: presentDecision,
    parse: parseGreenDecision,
    send: referrals.recordDecision,
    done: (parsed) =>
      parsed.decision === 'EARLY_HELP' ? { heading: 'Early help requested' } : { heading: 'Case closed with no further action' },
  })
  step('/cases/:caseId/allocation', 'allocation.njk', {
    view: referrals.viewAllocation,
    present: presentAllocation,
    parse: parseAllocation,
    send: referrals.allocate,
    done: () => ({ heading: 'Case allocated' }),
  })
}
