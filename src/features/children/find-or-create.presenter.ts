import { randomUUID } from 'node:crypto'
import { formatDate } from '../../platform/http/format.js'
import { type FieldError, text } from '../../platform/forms/forms.js'
import { ETHNIC_GROUPS, GENDERS } from './children.form.js'
import type { ShownMatch } from './find-or-create.service.js'
import type { MatchStrength } from './identifiers.rules.js'

type Values = Record<string, string | string[]>

/** The typed values a search carries on to "create a new record" (hidden fields, never the URL). */
export const IDENTITY_FIELDS = [
  'given-names',
  'family-name',
  'date-of-birth-day',
  'date-of-birth-month',
  'date-of-birth-year',
  'nhs-number',
  'upn',
  'local-case-id',
] as const

const STRENGTH_TAGS: Record<MatchStrength, { text: string; classes: string }> = {
  CERTAIN: { text: 'Certain match', classes: 'govuk-tag--red' },
  HIGH: { text: 'Strong match', classes: 'govuk-tag--orange' },
  MEDIUM: { text: 'Possible match', classes: 'govuk-tag--yellow' },
  LOW: { text: 'Weak match', classes: 'govuk-tag--grey' },
  NONE: { text: 'No match', classes: 'govuk-tag--grey' },
}

const one = text

/**
 * A possible match, for a summary card (children/views/_macros.njk): why it matched, how strong,
 * and, unless the record is restricted from the person, who it is and where to go next.
 */
export function presentMatch(m: ShownMatch, index: number) {
  const common = { reasons: m.reasons, strength: STRENGTH_TAGS[m.strength] }
  if (m.isHidden) return { ...common, title: `Possible match ${index + 1}: a restricted record`, child: null }
  const name = `${m.givenNames ?? ''} ${m.familyName ?? ''}`.trim()
  return {
    ...common,
    title: name,
    child: {
      name,
      dateOfBirth: formatDate(m.dateOfBirth),
      // Only to someone who may open the record (a referrer named on the child raises a request instead).
      href: m.canRead ? `/children/${m.id}` : null,
      referHref: `/children/${m.id}/request-for-support`,
    },
  }
}

/** What a person who searched too often is told (with a 429), above the form as they filled it in. */
export const TOO_MANY_SEARCHES = 'You have searched too many times. Wait a few minutes and try again.'

/**
 * The matches a person may see as cards, and whether any was withheld: then, once, only that a
 * record may already exist (never how many, who, or why they matched).
 */
function presentMatches(matches: ShownMatch[]) {
  const shown = matches.filter((m) => !m.withheld)
  return { matches: shown.map(presentMatch), matchCount: shown.length, withheld: shown.length < matches.length }
}

export function presentSearch(values: Values = {}, errors?: FieldError[], matches?: ShownMatch[], limited = false) {
  return {
    pageTitle: limited ? 'You have searched too many times – find a child' : matches ? 'Possible matches – find a child' : 'Find a child',
    values,
    errors,
    limited,
    limitMessage: TOO_MANY_SEARCHES,
    searched: !!matches,
    ...presentMatches(matches ?? []),
    carried: IDENTITY_FIELDS.map((name) => ({ name, value: one(values[name]) })),
  }
}

const radioItems = (options: readonly { value: string; label: string }[], chosen: string) =>
  options.map((o) => ({ value: o.value, text: o.label, checked: o.value === chosen }))

/**
 * The new child form. The idempotency key stays the same across re-renders of one form, so a
 * second submit of it finds the first record.
 */
export function presentNewChildForm(values: Values = {}, errors?: FieldError[], matches: ShownMatch[] = [], askToConfirm = false) {
  const key = one(values['idempotency-key'])
  return {
    pageTitle: 'Create a child’s record',
    values,
    errors,
    idempotencyKey: /^[0-9a-f-]{36}$/i.test(key) ? key : randomUUID(),
    genderItems: radioItems(GENDERS, one(values.gender)),
    ethnicityItems: radioItems(ETHNIC_GROUPS, one(values.ethnicity)),
    ...presentMatches(matches),
    askToConfirm,
    confirmItems: [
      {
        value: 'yes',
        text: 'I have checked these possible matches and this is a different child',
        checked: one(values['confirm-different']) === 'yes',
      },
    ],
  }
}
