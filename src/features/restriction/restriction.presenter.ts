import { randomUUID } from 'node:crypto'
import { BREAK_GLASS_REASONS } from '../../platform/access/break-glass.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDateTime } from '../../platform/http/format.js'
import type { BreakGlassPage, RestrictionPage } from './restriction.service.js'

type Values = Record<string, string | string[]>
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))

/** The restriction page: the form (restrict, or change who is named) and the history. */
export function presentRestriction(page: RestrictionPage, values: Values = {}, errors: FieldError[] = []) {
  const { child, people, selected, history, selfId } = page
  const names = new Map(people.map((p) => [p.id, p.displayName]))
  const chosen = new Set(selected)
  return {
    pageTitle: child.isRestricted ? 'Change who can see this record' : 'Restrict this record',
    childId: child.id,
    name: `${child.givenNames} ${child.familyName}`,
    isRestricted: child.isRestricted,
    formKey: one(values['form-key']) || randomUUID(),
    reason: one(values.reason),
    peopleItems: people.map((p) => ({
      value: p.id,
      text: `${p.displayName}${p.id === selfId ? ' (you)' : ''}`,
      hint: { text: `${p.agencyName}${p.worksWithChild ? ' · works with this child' : ''}` },
      checked: chosen.has(p.id),
    })),
    history: history.map((h) => ({
      when: formatDateTime(h.changedAt),
      what: h.restricted ? 'Restricted' : 'Restriction removed',
      who: h.changedByName ?? 'The system',
      reason: h.reason,
      named: h.restricted ? h.namedUserIds.map((id) => names.get(id) ?? 'A person no longer in the partnership').join(', ') : '',
    })),
    errors,
  }
}

export function presentRemoval(page: RestrictionPage, values: Values = {}, errors: FieldError[] = []) {
  return {
    pageTitle: 'Remove the restriction',
    childId: page.child.id,
    name: `${page.child.givenNames} ${page.child.familyName}`,
    isRestricted: page.child.isRestricted,
    formKey: one(values['form-key']) || randomUUID(),
    reason: one(values.reason),
    errors,
  }
}

/** The break-glass form: nothing about the child until the record is opened. */
export function presentBreakGlass(page: BreakGlassPage, values: Values = {}, errors: FieldError[] = []) {
  return {
    pageTitle: 'Open this record in an emergency',
    childId: page.childId,
    alreadyOpen: page.alreadyOpen,
    openUntil: page.openUntil ? formatDateTime(page.openUntil) : null,
    hours: page.hours,
    reasonItems: Object.entries(BREAK_GLASS_REASONS).map(([value, text]) => ({ value, text, checked: one(values.reason) === value })),
    details: one(values.details),
    confirmItems: [
      {
        value: 'yes',
        text: `I understand that my access is recorded, that the privacy officer and the child’s team manager are told, and that it will be reviewed`,
        checked: one(values.confirm) === 'yes',
      },
    ],
    errors,
  }
}
