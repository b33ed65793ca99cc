import { formatDate } from '../../platform/http/format.js'
import { type FieldError, text } from '../../platform/forms/forms.js'
import { whenFields } from '../../platform/forms/when.js'
import { ACTION_LINKS, ACTION_RULES, STATUS_LABELS, type CaseAction, type CaseForAccess } from '../cases/index.js'
import type { NotNow } from './case-step.js'
import { ratingLabel, type BrookToolVersion, type Rating } from './screening.rules.js'

export type Values = Record<string, string | string[]>

const RATING_CLASSES = { GREEN: 'govuk-tag--green', AMBER: 'govuk-tag--orange', RED: 'govuk-tag--red' } as const

export function ratingTag(rating: Rating, toolVersion: BrookToolVersion = 'BROOK_ORIGINAL') {
  return { text: ratingLabel(rating, toolVersion), classes: RATING_CLASSES[rating] }
}

/** What every step's page shows about the case: the child, and where to go back to. */
export function caseHeading(kase: CaseForAccess) {
  return { caseId: kase.id, childName: kase.childName, dateOfBirth: formatDate(kase.childDateOfBirth) }
}

/**
 * What the form of a step (oversight, the green decision, allocation) shows first: its title, the
 * case, what was typed and its errors, and the case's version the form was read at (after a
 * conflict, the version now, so that sending again is a deliberate choice).
 */
export function stepForm(pageTitle: string, kase: CaseForAccess, values: Values, errors: FieldError[] | undefined, conflict: boolean) {
  return {
    pageTitle,
    ...caseHeading(kase),
    values,
    errors,
    version: conflict || !values.version ? kase.version : one(values.version),
    when: whenFields(values, errors),
  }
}

/** The page for a step that cannot be taken now: why, and links to what can be done instead. */
export function presentNotNow(kase: CaseForAccess, notNow: NotNow) {
  const label = ACTION_RULES[notNow.action].label
  return {
    pageTitle: label,
    heading: label,
    ...caseHeading(kase),
    message: `This case is “${STATUS_LABELS[notNow.status]}”, so “${label}” cannot be done now.`,
    instead: notNow.allowed.map((a: CaseAction) => ({ text: ACTION_RULES[a].label, href: ACTION_LINKS[a]?.path(kase.id) ?? null })),
  }
}

/** Radios or select items from a label table, marking the one chosen. */
export function itemsFrom<K extends string>(
  labels: Record<K, string>,
  chosen: string | string[] | undefined,
  mark: 'checked' | 'selected' = 'checked',
) {
  return (Object.entries(labels) as [K, string][]).map(([value, text]) => ({
    value,
    text,
    [mark]: Array.isArray(chosen) ? chosen.includes(value) : chosen === value,
  }))
}

export const YES_NO = { yes: 'Yes', no: 'No' } as const

/** A value as typed (the first, if the field came more than once). */
export const one = text

export type FormPage = { values: Values; errors?: FieldError[] | undefined }
