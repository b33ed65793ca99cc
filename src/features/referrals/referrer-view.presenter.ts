import type { FieldError } from '../../platform/forms/forms.js'
import { paragraphsOf } from '../meetings/index.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { OwnRequestRow, RequestUpdateRow } from './referrer-view.repository.js'
import type { RequestProgress } from './referrer-view.rules.js'
import { UPDATE_LIMITS } from './referrer-view.rules.js'
import type { ShareView, YourRequestsView, YourRequestView } from './referrer-view.service.js'
import { OWN_REQUESTS_SHOWN } from './referrer-view.repository.js'
import { BEHAVIOUR_CONTEXT_LABELS, type BehaviourContext } from './screening.rules.js'
import type { Values } from './step.presenter.js'

const tagOf = (p: RequestProgress) => ({ text: p.short, classes: `govuk-tag--${p.tag}` })

const presentUpdate = (u: RequestUpdateRow) => ({
  title: u.title,
  body: paragraphsOf(u.body),
  when: formatDateTime(u.sharedAt),
  by: `${u.sharedByName}, ${u.sharedByAgencyName}`,
})

const lastNews = (r: OwnRequestRow) =>
  r.updates === 0 ? 'None yet' : `${r.updates} ${r.updates === 1 ? 'update' : 'updates'}, the latest ${formatDate(r.lastUpdateAt)}`

/** The list of a person's own requests: each child, when it was sent, where it is and what has been shared. */
export function presentYourRequests(view: YourRequestsView) {
  return {
    pageTitle: 'Your requests for support',
    rows: view.rows.map((r) => ({
      href: `/requests/${r.caseId}`,
      childName: r.childName,
      sent: formatDate(r.receivedAt),
      tag: tagOf(r.progress),
      updates: lastNews(r),
    })),
    count: view.rows.length,
    moreThanShown: view.total > OWN_REQUESTS_SHOWN ? `Showing your ${OWN_REQUESTS_SHOWN} most recent requests of ${view.total}.` : null,
  }
}

/** One request as its referrer reads it: what they sent, where it is, what was decided, and what was shared back. */
export function presentYourRequest(view: YourRequestView) {
  const { kase, request, progress } = view
  return {
    // No child's name in a page's title (it is kept in browser history and tab lists).
    pageTitle: 'Your request for support',
    caseId: kase.id,
    childId: kase.childId,
    childName: kase.childName,
    dateOfBirth: formatDate(kase.childDateOfBirth),
    sent: formatDateTime(request.receivedAt),
    from: request.referrerAgencyName,
    whatHappened: paragraphsOf(request.whatHappened),
    where: request.contexts.map((c) => BEHAVIOUR_CONTEXT_LABELS[c as BehaviourContext] ?? c).join(', '),
    otherChildren: request.otherChildren,
    status: progress.status,
    meaning: progress.meaning,
    decided: progress.decided,
    workingOnIt: request.allocatedTeamName ?? 'The front door',
    updates: view.updates.map(presentUpdate),
  }
}

/** The case's page of what has been shared with its referrer, and the form to share more. */
export function presentShare(view: ShareView, values: Values = {}, errors?: FieldError[]) {
  return {
    pageTitle: 'Updates for the referrer',
    caseId: view.kase.id,
    childName: view.kase.childName,
    referrer: view.referrer ? `${view.referrer.name}, ${view.referrer.agencyName}` : null,
    updates: view.updates.map(presentUpdate),
    canShare: view.canShare,
    key: typeof values.key === 'string' && values.key ? values.key : view.key,
    values,
    errors,
    limits: UPDATE_LIMITS,
  }
}
