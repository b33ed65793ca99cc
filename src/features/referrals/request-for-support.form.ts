import { z } from 'zod'
import { londonDate } from '../../platform/clocks/london-time.js'
import { parseForm, type FieldError, text } from '../../platform/forms/forms.js'
import type { CaseRoute } from '../cases/index.js'
import { checkDate, londonInstant, parseTime } from '../../platform/forms/dates.js'
import { isSharingBasis, type SharingBasis } from './referral.rules.js'
import { isBehaviourContext, type BehaviourContext } from './screening.rules.js'

/**
 * A form parsed into a command, or the field errors to show. `incomplete` means a hidden field
 * (the submit key, the case version) was missing or mangled: not something the person can put
 * right, so the service refuses it as a bad request once it has checked their access.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; incomplete: boolean }

export type RequestForSupportCommand = {
  receivedAt: Date
  receivedOn: string
  whatHappened: string
  contexts: BehaviourContext[]
  otherChildren: string | null
  sharingBasis: SharingBasis
  consentSought: boolean
  sharingNote: string | null
  route: CaseRoute
  idempotencyKey: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const str = z.preprocess(text, z.string())
const ticked = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
const optional = (v: string) => (v.trim() === '' ? null : v.trim())

const schema = (now: Date) =>
  z
    .object({
      'received-day': str,
      'received-month': str,
      'received-year': str,
      'received-time': str,
      'what-happened': str,
      contexts: ticked,
      'other-children': str,
      'sharing-basis': str,
      'consent-sought': str,
      'sharing-note': str,
      'open-case': str,
    })
    .transform((form, ctx) => {
      const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] })
      const date = checkDate({ day: form['received-day'], month: form['received-month'], year: form['received-year'] }, 'Date received', {
        required: true,
      })
      const time = parseTime(form['received-time'], '24-hour')
      let receivedAt: Date | null = null
      if (!date.ok) fail('received-day', date.message)
      if (form['received-time'].trim() === '') fail('received-time', 'Enter the time the request was received')
      else if (time === null) fail('received-time', 'Enter the time in the 24-hour clock, for example 14:30')
      if (date.ok && date.value && time !== null) {
        receivedAt = londonInstant(date.value, time)
        if (date.value > londonDate(now)) fail('received-day', 'Date received must be today or in the past')
        else if (receivedAt > now) fail('received-time', 'Time received must be now or in the past')
      }
      const whatHappened = form['what-happened'].trim()
      if (!whatHappened) fail('what-happened', 'Enter what happened, in the words of the person who raised the concern')
      else if (whatHappened.length > 10_000) fail('what-happened', 'What happened must be 10,000 characters or fewer')
      const contexts = form.contexts.filter(isBehaviourContext)
      if (contexts.length !== form.contexts.length) fail('contexts', 'Select where it happened from the list')
      if (form['other-children'].length > 5_000) fail('other-children', 'Other children involved must be 5,000 characters or fewer')
      const basis = form['sharing-basis']
      if (!isSharingBasis(basis)) fail('sharing-basis', 'Select the basis for sharing information')
      const consent = form['consent-sought']
      if (consent !== 'yes' && consent !== 'no') fail('consent-sought', 'Select whether consent was sought')
      else if (consent === 'no' && basis === 'CONSENT')
        fail('consent-sought', 'If consent was not sought, choose a basis for sharing without consent')
      if (form['sharing-note'].length > 2_000) fail('sharing-note', 'The note must be 2,000 characters or fewer')
      const open = form['open-case']
      if (open !== 'yes' && open !== 'no')
        fail('open-case', 'Select whether the child is already open to children’s social care, the youth offending service or leaving care')
      if (ctx.issues.length || !receivedAt || !date.ok || !date.value || !isSharingBasis(basis)) return z.NEVER
      return {
        receivedAt,
        receivedOn: date.value,
        whatHappened,
        contexts,
        otherChildren: optional(form['other-children']),
        sharingBasis: basis,
        consentSought: consent === 'yes',
        sharingNote: optional(form['sharing-note']),
        route: (open === 'yes' ? 'OPEN_CASE' : 'NEW') as CaseRoute,
      }
    })

/** The request-for-support form: every problem at once, in page order; dates link to the day. */
export function parseRequestForSupport(body: unknown, now = new Date()): Parsed<RequestForSupportCommand> {
  const key = text((body as Record<string, unknown> | undefined)?.['idempotency-key'])
  const parsed = parseForm(schema(now), body)
  if (!UUID.test(key)) return { ok: false, errors: parsed.ok ? [] : parsed.errors, incomplete: true }
  if (!parsed.ok) return { ok: false, errors: parsed.errors, incomplete: false }
  return { ok: true, value: { ...parsed.value, idempotencyKey: key.toLowerCase() } }
}

/** A received date before the child was born is impossible: checked once the child is known. */
export function checkReceivedAgainstBirth(command: RequestForSupportCommand, dateOfBirth: string): FieldError[] {
  return command.receivedOn < dateOfBirth
    ? [{ href: '#received-day', text: 'Date received must be on or after the child’s date of birth' }]
    : []
}
