import { Router } from 'express'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import type { ArrangeForm, ArrangeOptions, ArrangeResult } from './case-meetings.js'
import { casePage, commandPost, formPage, formPost, type Flash } from '../../platform/http/case-pages.js'
import { readAddendumForm, readArrangementForm, readMinutesForm } from './meetings.form.js'
import { ARRANGE_VIEW, meetingPath, presentArrangeForm, presentInvitation, presentMeeting } from './meetings.presenter.js'
import { MEETING_KIND_LABELS, MEETING_TYPES, type MeetingType } from './meetings.rules.js'
import { NoMeetingYet, type MeetingsService, type SaveResult } from './meetings.service.js'

const READ = { kind: 'child', action: 'child:read' } as const
const VIEW = 'meetings/views/meeting.njk'
const INVITATION_VIEW = 'meetings/views/invitation.njk'

/** The service commands behind a meeting's arrange page. */
export type Arranging = {
  form(user: CurrentUser, caseId: string, requestId: string): Promise<ArrangeOptions>
  arrange(user: CurrentUser, caseId: string, form: ArrangeForm, requestId: string): Promise<ArrangeResult>
}

/** The arrange page of a meeting of this type (the strategy meeting here; the review and end meetings on the interventions feature's pages). */
export function arrangeRoutes(route: ReturnType<typeof routesFor>, type: MeetingType, service: Arranging): void {
  const path = `${meetingPath(type, ':caseId')}/new`
  const [kind] = MEETING_TYPES[type].kinds
  formPage(route, READ, path, ARRANGE_VIEW, presentArrangeForm, {
    show: service.form,
    save: (user, caseId, requestId, req) => service.arrange(user, caseId, readArrangementForm(req.body), requestId),
    done: (_, caseId) => [
      { heading: `${MEETING_KIND_LABELS[kind]} arranged`, text: 'The people invited by name have been notified.' },
      meetingPath(type, caseId),
    ],
  })
}

/**
 * The strategy meeting or discussion of a case: arrange it, record and finalise its minutes,
 * add addenda. Every route is about a child, so the service decides who may (the case, the
 * invitation, the chair) and audits it.
 */
export function meetingsRoutes(registry: RouteRegistry, meetings: MeetingsService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const path = meetingPath('strategy', ':caseId')

  arrangeRoutes(route, 'strategy', { form: meetings.arrangeForm, arrange: meetings.arrange })

  // No strategy meeting yet (a notice that it is due leads here): its arrange page, which says what can be done.
  route.get(path, READ, async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    try {
      res.render(VIEW, presentMeeting(await meetings.viewMeeting(req.actor!, caseId, req.requestId)))
    } catch (error) {
      // Only a case the person may open with no meeting: any other 404 (another partnership's case) stays one.
      if (!(error instanceof NoMeetingYet)) throw error
      res.redirect(`${meetingPath('strategy', caseId)}/new`)
    }
  })

  /** The invitation: that the meeting exists, for an agency invited as a whole too; accepting it names the person as invited. */
  route.get(`${path}/invitation`, READ, casePage(meetings.viewInvitation, INVITATION_VIEW, presentInvitation))
  route.post(
    `${path}/invitation`,
    READ,
    commandPost(meetings.acceptInvitation, (caseId) => [
      { heading: 'Invitation accepted', text: 'You are now invited by name, so the meeting’s record is open to you.' },
      meetingPath('strategy', caseId),
    ]),
  )

  /** Saving or finalising the minutes: not saved → the page again with the text typed kept. */
  const minutes = (save: typeof meetings.saveMinutes, flash: Flash) =>
    formPost(
      (user, caseId, requestId, req): Promise<SaveResult> => save(user, caseId, readMinutesForm(req.body), requestId),
      (r, req) => [
        VIEW,
        presentMeeting(r.page, { input: readMinutesForm(req.body).input, errors: r.errors, conflict: r.conflict ?? false }),
      ],
      (_, caseId) => [flash, meetingPath('strategy', caseId)],
    )
  const saveDraft = minutes(meetings.saveMinutes, { heading: 'Draft minutes saved' })

  route.post(path, READ, async (req, res, next) => {
    const form = readMinutesForm(req.body)
    if (!form.add) return saveDraft(req, res, next)
    // "Add another" without JavaScript: the same form again with one more row, nothing saved.
    const page = await meetings.viewMeeting(req.actor!, requireUuid(req.params.caseId), req.requestId)
    res.render(VIEW, presentMeeting(page, { input: form.input, add: form.add, ...(form.key ? { formKey: form.key } : {}) }))
  })

  route.post(
    `${path}/finalise`,
    READ,
    minutes(meetings.finalise, {
      heading: 'Minutes finalised',
      text: 'The minutes are now locked. Anything to add or correct is an addendum.',
    }),
  )

  route.post(
    `${path}/addenda`,
    READ,
    formPost(
      (user, caseId, requestId, req) => meetings.addAddendum(user, caseId, readAddendumForm(req.body), requestId),
      (r, req) => [VIEW, presentMeeting(r.page, { errors: r.errors, addendum: readAddendumForm(req.body).text })],
      (_, caseId) => [{ heading: 'Addendum added' }, `${meetingPath('strategy', caseId)}#addenda`],
    ),
  )

  return router
}
