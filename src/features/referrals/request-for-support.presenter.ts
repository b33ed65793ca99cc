import { formatDate } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { londonParts } from '../../platform/forms/dates.js'
import { SHARING_BASIS_LABELS } from './referral.rules.js'
import type { ReferralChild } from './request-for-support.service.js'
import { BEHAVIOUR_CONTEXT_LABELS } from './screening.rules.js'
import { itemsFrom, one, YES_NO, type Values } from './step.presenter.js'

/** A new form: received now, and a fresh key so that a double-clicked submit makes one request. */
export function newRequestValues(now: Date, idempotencyKey: string): Values {
  const p = londonParts(now)
  return {
    'received-day': p.day,
    'received-month': p.month,
    'received-year': p.year,
    'received-time': p.time,
    'idempotency-key': idempotencyKey,
  }
}

export function presentRequestForm(child: ReferralChild, values: Values, errors?: FieldError[]) {
  return {
    pageTitle: 'Request for support',
    childId: child.id,
    /** Null for someone who may refer but not open the child's record: the page shows neither. */
    childName: child.shown?.name ?? null,
    dateOfBirth: child.shown ? formatDate(child.shown.dateOfBirth) : null,
    values,
    errors,
    contextItems: itemsFrom(BEHAVIOUR_CONTEXT_LABELS, values.contexts),
    basisItems: itemsFrom(SHARING_BASIS_LABELS, one(values['sharing-basis'])),
    consentItems: itemsFrom(YES_NO, one(values['consent-sought'])),
    openCaseItems: itemsFrom(YES_NO, one(values['open-case'])),
  }
}
