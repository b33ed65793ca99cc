import { Router } from 'express'
import { requireUuid } from '../../platform/http/errors.js'
import { formValues } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readAddendumForm, readArrangementForm, readMinutesForm } from './meetings.form.js'
import { ARRANGE_VIEW, presentArrangeForm, presentMeeting } from './meetings.presenter.js'
import type { MeetingsService } from './meetings.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEWS = 'meetings/views'
const meetingPath = (caseId: string) => `/cases/${caseId}/strategy-meeting`

/**
 * The strategy meeting or discussion of a case: arrange it, record and finalise its minutes,
 * add addenda. Every route is about a child, so the service decides who may (the case, the
 * invitation, the chair) and audits it.
 */
export function meetingsRoutes(registry: RouteRegistry, meetings: MeetingsService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/cases/:caseId/strategy-meeting/new', READ, async (req, res) => {
    const options = await meetings.arrangeForm(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(ARRANGE_VIEW, presentArrangeForm(options))
  })

  route.post('/cases/:caseId/strategy-meeting/new', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await meetings.arrange(req.actor!, caseId, readArrangementForm(req.body), req.requestId)
    if (!result.ok) return res.status(400).render(ARRANGE_VIEW, presentArrangeForm(result.options, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Strategy meeting arranged', text: 'The people invited by name have been notified.' }
    res.redirect(meetingPath(caseId))
  })

  route.get('/cases/:caseId/strategy-meeting', READ, async (req, res) => {
    const page = await meetings.viewMeeting(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(`${VIEWS}/meeting.njk`, presentMeeting(page))
  })

  route.post('/cases/:caseId/strategy-meeting', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readMinutesForm(req.body)
    if (form.add) {
      // "Add another" without JavaScript: the same form again with one more row, nothing saved.
      const page = await meetings.viewMeeting(req.actor!, caseId, req.requestId)
      return res.render(
        `${VIEWS}/meeting.njk`,
        presentMeeting(page, { input: form.input, add: form.add, ...(form.key ? { formKey: form.key } : {}) }),
      )
    }
    const result = await meetings.saveMinutes(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res
        .status(result.status)
        .render(
          `${VIEWS}/meeting.njk`,
          presentMeeting(result.page, { input: form.input, errors: result.errors, conflict: result.conflict ?? false }),
        )
    req.session.flash = { heading: 'Draft minutes saved' }
    res.redirect(meetingPath(caseId))
  })

  route.post('/cases/:caseId/strategy-meeting/finalise', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readMinutesForm(req.body)
    const result = await meetings.finalise(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res
        .status(result.status)
        .render(
          `${VIEWS}/meeting.njk`,
          presentMeeting(result.page, { input: form.input, errors: result.errors, conflict: result.conflict ?? false }),
        )
    req.session.flash = { heading: 'Minutes finalised', text: 'The minutes are now locked. Anything to add or correct is an addendum.' }
    res.redirect(meetingPath(caseId))
  })

  route.post('/cases/:caseId/strategy-meeting/addenda', READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const form = readAddendumForm(req.body)
    const result = await meetings.addAddendum(req.actor!, caseId, form, req.requestId)
    if (!result.ok)
      return res.status(400).render(`${VIEWS}/meeting.njk`, presentMeeting(result.page, { errors: result.errors, addendum: form.text }))
    req.session.flash = { heading: 'Addendum added' }
    res.redirect(`${meetingPath(caseId)}#addenda`)
  })

  return router
}
