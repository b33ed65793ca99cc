import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { ARRANGE_VIEW, meetingPath, presentArrangeForm, readArrangementForm } from '../meetings/index.js'
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
import type { InterventionsService, MeetingType } from './interventions.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'interventions/views'
const ARRANGED: Record<MeetingType, string> = { review: 'Review meeting arranged', end: 'End meeting arranged' }

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
    route.get(`${base}/new`, READ, async (req, res) => {
      const options = await service.arrangeForm(req.actor!, requireUuid(req.params.caseId), type, req.requestId)
      res.render(ARRANGE_VIEW, presentArrangeForm(options))
    })

    route.post(`${base}/new`, READ, async (req, res) => {
      const caseId = requireUuid(req.params.caseId)
      const result = await service.arrange(req.actor!, caseId, type, readArrangementForm(req.body), req.requestId)
      if (!result.ok) return res.status(400).render(ARRANGE_VIEW, presentArrangeForm(result.options, formValues(req.body), result.errors))
      req.session.flash = { heading: ARRANGED[type], text: 'The people invited by name have been notified.' }
      res.redirect(meetingPath(type, caseId))
    })

    route.get(base, READ, async (req, res) => {
      const page = await service.viewMeeting(req.actor!, requireUuid(req.params.caseId), type, req.requestId)
      res.render(`${VIEWS}/meeting.njk`, presentMeetingPage(page))
    })

    route.post(base, READ, async (req, res) => {
      const caseId = requireUuid(req.params.caseId)
      const form = type === 'review' ? readReviewForm(req.body) : readEndForm(req.body)
      if (form.addGoal) {
        // "Add another goal" without JavaScript: the same form with one more row, nothing saved.
        const page = await service.viewMeeting(req.actor!, caseId, type, req.requestId)
        return res.render(`${VIEWS}/meeting.njk`, presentMeetingPage(page, { input: form.input, add: true }))
      }
      const result =
        type === 'review'
          ? await service.recordReview(req.actor!, caseId, readReviewForm(req.body), req.requestId)
          : await service.recordEnd(req.actor!, caseId, readEndForm(req.body), req.requestId)
      if (!result.ok)
        return res
          .status(result.status)
          .render(
            `${VIEWS}/meeting.njk`,
            presentMeetingPage(result.page, { input: form.input, errors: result.errors, conflict: result.conflict ?? false }),
          )
      req.session.flash =
        type === 'review'
          ? { heading: 'Review meeting finalised', text: 'The intervention plan is agreed and the case is now in intervention.' }
          : { heading: 'End meeting finalised', text: 'The case is closed.' }
      res.redirect(type === 'review' ? `/cases/${caseId}/intervention-plan` : `/cases/${caseId}`)
    })
  }

  route.get('/cases/:caseId/intervention-plan', READ, async (req, res) => {
    const page = await service.viewPlan(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/plan.njk`, presentPlan(page))
  })

  route.post('/cases/:caseId/intervention-plan', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readPlanForm(req.body)
    if (form.addGoal) {
      const page = await service.viewPlan(req.actor!, caseId, req.requestId)
      return res.render(`${VIEWS}/plan.njk`, presentPlan(page, { input: form.input, add: true }))
    }
    const result = await service.updatePlan(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res
        .status(result.status)
        .render(
          `${VIEWS}/plan.njk`,
          presentPlan(result.page, { input: form.input, errors: result.errors, conflict: result.conflict ?? false }),
        )
    req.session.flash = { heading: 'Intervention plan updated', text: 'The earlier version is kept in the plan’s history.' }
    res.redirect(`/cases/${caseId}/intervention-plan`)
  })

  route.post('/cases/:caseId/intervention-plan/actions', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    await service.markActionDone(req.actor!, caseId, readActionDone(req.body), req.requestId)
    req.session.flash = { heading: 'Action marked done' }
    res.redirect(`/cases/${caseId}/intervention-plan#actions`)
  })

  route.get('/cases/:caseId/panel', READ, async (req, res) => {
    const page = await service.viewPanel(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/panel.njk`, presentPanel(page))
  })

  route.post('/cases/:caseId/panel', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readPanelRequest(req.body)
    const result = await service.requestPanel(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res
        .status(result.status)
        .render(`${VIEWS}/panel.njk`, presentPanel(result.page, { reason: form.reason, errors: result.errors }))
    req.session.flash = { heading: 'HSB panel requested', text: 'The head of service has been asked to convene the panel.' }
    res.redirect(`/cases/${caseId}/panel`)
  })

  route.post('/cases/:caseId/panel/decision', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readPanelDecision(req.body)
    const result = await service.decidePanel(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res.status(result.status).render(`${VIEWS}/panel.njk`, presentPanel(result.page, { decision: form, errors: result.errors }))
    req.session.flash = { heading: 'HSB panel decision recorded', text: 'The case is back in intervention.' }
    res.redirect(`/cases/${caseId}/intervention-plan`)
  })

  route.get('/cases/:caseId/closure', READ, async (req, res) => {
    const page = await service.viewClosure(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/closure.njk`, presentClosure(page))
  })

  route.post('/cases/:caseId/closure', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readClosure(req.body)
    const result = await service.close(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res.status(result.status).render(`${VIEWS}/closure.njk`, presentClosure(result.page, { input: form, errors: result.errors }))
    req.session.flash = { heading: 'Case closed' }
    res.redirect(`/cases/${caseId}`)
  })

  return router
}
