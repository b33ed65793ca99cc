import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { casePage, commandPost, formPost } from '../../platform/http/case-pages.js'
import { arrangeRoutes, meetingPath } from '../meetings/index.js'
import {
  readActionDone,
  readClosure,
  readEndForm,
  readPanelDecision,
  readPanelRequest,
  readPlanForm,
  readReviewForm,
} from './interventions.form.js'
import { presentClosure, presentMeetingPage, presentPanel, presentPlan } from './interventions.presenter.js'
import type { InterventionsService } from './interventions.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'interventions/views'
const planPath = (caseId: string) => `/cases/${caseId}/intervention-plan`
const panelPath = (caseId: string) => `/cases/${caseId}/panel`

/**
 * After the AIM assessment: the review meeting and intervention plan, the HSB panel, the end
 * meeting and closure. Every route is about a child: the service runs on the case kernel (access
 * checked and audited) and the transition table decides who may take each step. Arranging the
 * review and end meetings is the meetings feature's (its arrange page).
 */
export function interventionsRoutes(registry: RouteRegistry, service: InterventionsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  for (const type of ['review', 'end'] as const) {
    const base = meetingPath(type, ':caseId')
    arrangeRoutes(route, type, {
      form: (user, caseId, requestId) => service.arrangeForm(user, caseId, type, requestId),
      arrange: (user, caseId, form, requestId) => service.arrange(user, caseId, type, form, requestId),
    })

    route.get(
      base,
      READ,
      casePage((user, caseId, requestId) => service.viewMeeting(user, caseId, type, requestId), `${VIEWS}/meeting.njk`, presentMeetingPage),
    )

    const read = type === 'review' ? readReviewForm : readEndForm
    const record = formPost(
      (user, caseId, requestId, req) =>
        type === 'review'
          ? service.recordReview(user, caseId, readReviewForm(req.body), requestId)
          : service.recordEnd(user, caseId, readEndForm(req.body), requestId),
      (r, req) => [
        `${VIEWS}/meeting.njk`,
        presentMeetingPage(r.page, { input: read(req.body).input, errors: r.errors, conflict: r.conflict ?? false }),
      ],
      (_, caseId) =>
        type === 'review'
          ? [
              { heading: 'Review meeting finalised', text: 'The intervention plan is agreed and the case is now in intervention.' },
              planPath(caseId),
            ]
          : [{ heading: 'End meeting finalised', text: 'The case is closed.' }, `/cases/${caseId}`],
    )
    route.post(base, READ, async (req, res, next) => {
      const form = read(req.body)
      if (!form.addGoal) return record(req, res, next)
      // "Add another goal" without JavaScript: the same form with one more row, nothing saved.
      const page = await service.viewMeeting(req.actor!, requireUuid(req.params.caseId), type, req.requestId)
      res.render(`${VIEWS}/meeting.njk`, presentMeetingPage(page, { input: form.input, add: true }))
    })
  }

  route.get('/cases/:caseId/intervention-plan', READ, casePage(service.viewPlan, `${VIEWS}/plan.njk`, presentPlan))

  const updatePlan = formPost(
    (user, caseId, requestId, req) => service.updatePlan(user, caseId, readPlanForm(req.body), requestId),
    (r, req) => [
      `${VIEWS}/plan.njk`,
      presentPlan(r.page, { input: readPlanForm(req.body).input, errors: r.errors, conflict: r.conflict ?? false }),
    ],
    (_, caseId) => [{ heading: 'Intervention plan updated', text: 'The earlier version is kept in the plan’s history.' }, planPath(caseId)],
  )
  route.post('/cases/:caseId/intervention-plan', READ, async (req, res, next) => {
    const form = readPlanForm(req.body)
    if (!form.addGoal) return updatePlan(req, res, next)
    const page = await service.viewPlan(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/plan.njk`, presentPlan(page, { input: form.input, add: true }))
  })

  route.post(
    '/cases/:caseId/intervention-plan/actions',
    READ,
    commandPost(
      (user, caseId, requestId, req) => service.markActionDone(user, caseId, readActionDone(req.body), requestId),
      (caseId) => [{ heading: 'Action marked done' }, `${planPath(caseId)}#actions`],
    ),
  )

  route.get('/cases/:caseId/panel', READ, casePage(service.viewPanel, `${VIEWS}/panel.njk`, presentPanel))

  route.post(
    '/cases/:caseId/panel',
    READ,
    formPost(
      (user, caseId, requestId, req) => service.requestPanel(user, caseId, readPanelRequest(req.body), requestId),
      (r, req) => [`${VIEWS}/panel.njk`, presentPanel(r.page, { reason: readPanelRequest(req.body).reason, errors: r.errors })],
      (_, caseId) => [
        { heading: 'HSB panel requested', text: 'The head of service has been asked to convene the panel.' },
        panelPath(caseId),
      ],
    ),
  )

  route.post(
    '/cases/:caseId/panel/decision',
    READ,
    formPost(
      (user, caseId, requestId, req) => service.decidePanel(user, caseId, readPanelDecision(req.body), requestId),
      (r, req) => [`${VIEWS}/panel.njk`, presentPanel(r.page, { decision: readPanelDecision(req.body), errors: r.errors })],
      (_, caseId) => [{ heading: 'HSB panel decision recorded', text: 'The case is back in intervention.' }, planPath(caseId)],
    ),
  )

  route.get('/cases/:caseId/closure', READ, casePage(service.viewClosure, `${VIEWS}/closure.njk`, presentClosure))

  route.post(
    '/cases/:caseId/closure',
    READ,
    formPost(
      (user, caseId, requestId, req) => service.close(user, caseId, readClosure(req.body), requestId),
      (r, req) => [`${VIEWS}/closure.njk`, presentClosure(r.page, { input: readClosure(req.body), errors: r.errors })],
      (_, caseId) => [{ heading: 'Case closed' }, `/cases/${caseId}`],
    ),
  )

  return router
}
