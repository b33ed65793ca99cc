import type { IsoDate } from '../../platform/clocks/london-time.js'
import { datePartsOf, readDate } from '../../platform/forms/dates.js'
import { field, fieldError, readText, type FieldError } from '../../platform/forms/forms.js'
import { isReasonCode, type ReasonCode, type RedactionPart, type SubjectKind } from './subject-access.rules.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The hidden key a form that creates something carries (sent twice, it finds the first's record), or null. */
export function formKey(body: unknown): string | null {
  const key = field(body, 'form-key')
  return UUID.test(key) ? key.toLowerCase() : null
}

/** Finding the child: their case number, NHS number, UPN or record id; or names and date of birth. */
export type ChildSearch = { identifier: string; givenNames: string; familyName: string; dateOfBirth: IsoDate | null }

export function readChildSearch(body: unknown): { search: ChildSearch; errors: FieldError[] } {
  const identifier = readText(body, 'identifier', { label: 'Case number, NHS number or UPN', max: 100 })
  const givenNames = readText(body, 'given-names', { label: 'First names', max: 100 })
  const familyName = readText(body, 'family-name', { label: 'Last name', max: 100 })
  const dob = readDate(datePartsOf(body, 'date-of-birth'), 'date-of-birth', 'Date of birth')
  const errors = [identifier.error, givenNames.error, familyName.error, dob.error].filter((e): e is FieldError => e !== null)
  if (!errors.length && !identifier.value && !dob.value)
    errors.push(fieldError('identifier', 'Enter the child’s case number, NHS number or UPN, or their date of birth and names'))
  return {
    search: { identifier: identifier.value, givenNames: givenNames.value, familyName: familyName.value, dateOfBirth: dob.value },
    errors,
  }
}

export type RequestInput = {
  key: string | null
  childId: string
  subjectKind: SubjectKind | null
  requesterName: string
  requesterRelationship: string
  receivedOn: IsoDate | null
  identityChecked: boolean | null
  identityHow: string
}

/** The request's form, checked: who asks, about which child, when it was received, and whether their identity was checked. */
export function readRequestForm(body: unknown, today: IsoDate): { input: RequestInput; errors: FieldError[] } {
  const errors: FieldError[] = []
  const childId = field(body, 'child-id')
  if (!UUID.test(childId)) errors.push(fieldError('child-id', 'Find and choose the child the request is about'))
  const kind = field(body, 'subject-kind')
  const subjectKind = kind === 'CHILD' || kind === 'PARENT_CARER' ? kind : null
  if (!subjectKind) errors.push(fieldError('subject-kind', 'Select who the information is about'))
  const requesterName = readText(body, 'requester-name', { label: 'Their full name', max: 200, required: subjectKind === 'PARENT_CARER' })
  const relationship = readText(body, 'requester-relationship', {
    label: 'Their relationship to the child',
    max: 100,
    required: subjectKind === 'PARENT_CARER',
  })
  if (subjectKind === 'PARENT_CARER') errors.push(...[requesterName.error, relationship.error].filter((e): e is FieldError => e !== null))
  const received = readDate(datePartsOf(body, 'received'), 'received', 'Date received', { required: true, minYear: 2018 })
  if (received.error) errors.push(received.error)
  else if (received.value && received.value > today) errors.push(fieldError('received-day', 'Date received must be today or in the past'))
  const checked = field(body, 'identity-checked')
  const identityChecked = checked === 'yes' ? true : checked === 'no' ? false : null
  if (identityChecked === null) errors.push(fieldError('identity-checked', 'Select whether the requester’s identity has been checked'))
  const how = readText(body, 'identity-how', { label: 'How their identity was checked', max: 500, required: identityChecked === true })
  if (identityChecked && how.error) errors.push(how.error)
  return {
    input: {
      key: formKey(body),
      childId: UUID.test(childId) ? childId.toLowerCase() : '',
      subjectKind,
      requesterName: subjectKind === 'PARENT_CARER' ? requesterName.value : '',
      requesterRelationship: subjectKind === 'PARENT_CARER' ? relationship.value : '',
      receivedOn: received.value,
      identityChecked,
      identityHow: identityChecked ? how.value : '',
    },
    errors,
  }
}

export type RedactionInput = {
  key: string | null
  part: RedactionPart | null
  fieldKey: string
  words: string
  reasonCode: ReasonCode | null
  reasonText: string
}

/** What to redact and why (checked against the item by the service: the field exists, the words appear in it). */
export function readRedactionForm(body: unknown): { input: RedactionInput; errors: FieldError[] } {
  const errors: FieldError[] = []
  const p = field(body, 'part')
  const part = p === 'ITEM' || p === 'FIELD' || p === 'WORDS' ? p : null
  if (!part) errors.push(fieldError('part', 'Select what to redact'))
  const fieldKey = field(body, 'field-key')
  if (part === 'FIELD' && !fieldKey) errors.push(fieldError('field-key', 'Select the part of the item to redact'))
  const words = readText(body, 'words', {
    label: 'The words to redact',
    max: 200,
    required: part === 'WORDS' ? 'Enter the words to redact' : false,
  })
  if (part === 'WORDS' && words.error) errors.push(words.error)
  const code = field(body, 'reason')
  const reasonCode = isReasonCode(code) ? code : null
  if (!reasonCode) errors.push(fieldError('reason', 'Select why it is redacted'))
  const reasonText = readText(body, 'reason-text', {
    label: 'The exemption',
    max: 500,
    required: reasonCode === 'OTHER_EXEMPTION' ? 'Enter the exemption that applies' : false,
  })
  if (reasonText.error) errors.push(reasonText.error)
  return { input: { key: formKey(body), part, fieldKey, words: words.value, reasonCode, reasonText: reasonText.value }, errors }
}

export function readDeclineReason(body: unknown): { reason: string; error: FieldError | null } {
  const r = readText(body, 'decline-reason', { label: 'Why it is declined', max: 1000, required: 'Enter why the release is declined' })
  return { reason: r.value, error: r.error }
}
