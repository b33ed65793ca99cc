import { ENGLAND_AND_WALES_BANK_HOLIDAYS, type BankHolidays } from '../../platform/clocks/bank-holidays.js'
import { addCalendarDays, type IsoDate } from '../../platform/clocks/london-time.js'
import { isWorkingDay } from '../../platform/clocks/working-days.js'

/**
 * Subject access requests (UK GDPR Article 15, DPA 2018), the pure rules: when the answer is due,
 * who may decide a release, the reasons a part of the bundle may be withheld, and how a redacted
 * item reads. No I/O.
 */

export type SubjectKind = 'CHILD' | 'PARENT_CARER'
export type RequestStatus = 'RECORDED' | 'GATHERED' | 'SUBMITTED' | 'DECLINED' | 'APPROVED'
export type RedactionPart = 'ITEM' | 'FIELD' | 'WORDS'
/** One field of a gathered item, as it read when gathered. */
export type ItemField = { key: string; label: string; value: string }

export const STATUS_LABELS: Record<RequestStatus, string> = {
  RECORDED: 'Recorded: gather the records',
  GATHERED: 'Gathered: check and redact',
  SUBMITTED: 'Waiting for approval',
  DECLINED: 'Declined: change and submit again',
  APPROVED: 'Approved for release',
}

export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = { CHILD: 'The child', PARENT_CARER: 'A parent or carer' }

export const REASON_CODES = ['THIRD_PARTY_CHILD', 'THIRD_PARTY_PUBLIC', 'POLICE', 'HEALTH', 'OTHER_EXEMPTION'] as const
export type ReasonCode = (typeof REASON_CODES)[number]

/** The reasons, as the form offers them and as "[Redacted: …]" shows them. */
export const REASON_LABELS: Record<ReasonCode, string> = {
  THIRD_PARTY_CHILD: 'third party – another child',
  THIRD_PARTY_PUBLIC: 'third party – a member of the public',
  POLICE: 'withheld at the request of the police',
  HEALTH: 'withheld at the request of health',
  OTHER_EXEMPTION: 'other legal exemption',
}

export const isReasonCode = (v: string): v is ReasonCode => (REASON_CODES as readonly string[]).includes(v)

/** A redaction as the bundle needs it. */
export type Redaction = {
  part: RedactionPart
  fieldKey: string | null
  words: string | null
  reasonCode: ReasonCode
  reasonText: string | null
}

/** What a redaction says in place of what it hides: the reason, and the exemption's words for "other legal exemption". */
export function redactedText(r: Pick<Redaction, 'reasonCode' | 'reasonText'>): string {
  const reason = REASON_LABELS[r.reasonCode]
  return r.reasonCode === 'OTHER_EXEMPTION' && r.reasonText ? `[Redacted: ${reason} – ${r.reasonText}]` : `[Redacted: ${reason}]`
}

/**
 * The due date: one calendar month from the day the request was received (ICO: the corresponding
 * date in the next month; the last day of that month when it has no such date, so 31 January is
 * due on 28 or 29 February); when that is a weekend or a bank holiday, the next working day.
 */
export function dueDate(received: IsoDate, holidays: BankHolidays = ENGLAND_AND_WALES_BANK_HOLIDAYS): IsoDate {
  const [y, m, d] = received.split('-').map(Number) as [number, number, number]
  const nextMonth = m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 }
  const last = new Date(Date.UTC(nextMonth.y, nextMonth.m, 0)).getUTCDate()
  let due = `${nextMonth.y}-${String(nextMonth.m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
  while (!isWorkingDay(due, holidays)) due = addCalendarDays(due, 1)
  return due
}

/** A request's reference: SAR, the year it was received, and its number in the partnership that year. */
export const referenceOf = (year: number, n: number) => `SAR-${year}-${String(n).padStart(4, '0')}`

/**
 * Why a person may not decide a release, or null when they may: a second person decides, never
 * the one who submitted it, gathered it or redacted any of it (a redaction marked automatically
 * when gathering is nobody's).
 */
export function decisionRefusal(
  userId: string,
  request: { status: RequestStatus; submittedBy: string | null; gatheredBy?: string | null },
  redactedBy: readonly string[] = [],
): string | null {
  if (request.status !== 'SUBMITTED') return 'This request is not waiting for approval.'
  if (request.submittedBy === userId) return 'You submitted this bundle, so you cannot approve or decline it. Another approver must decide.'
  if (request.gatheredBy === userId) return 'You gathered this bundle, so you cannot approve or decline it. Another approver must decide.'
  if (redactedBy.includes(userId))
    return 'You redacted part of this bundle, so you cannot approve or decline it. Another approver must decide.'
  return null
}

/** What the privacy officer may do in each state. */
export const mayGather = (s: RequestStatus) => s === 'RECORDED' || s === 'GATHERED' || s === 'DECLINED'
export const mayRedact = (s: RequestStatus) => s === 'GATHERED' || s === 'DECLINED'
export const maySubmit = (s: RequestStatus) => s === 'GATHERED' || s === 'DECLINED'

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** `words` as a pattern: each run of spaces or line breaks matches any run (a name split across a line is still the name). */
const wordsPattern = (w: string) => w.split(/\s+/).map(escapeRegExp).join('\\s+')

/** Whether `words` appear in `text` as whole words, ignoring case. */
export function containsWords(text: string, words: string): boolean {
  const w = words.trim()
  return w.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${wordsPattern(w)}(?=$|[^\\p{L}\\p{N}])`, 'iu').test(text)
}

/** `text` with every whole-word occurrence of `words` replaced (ignoring case). */
export function replaceWords(text: string, words: string, by: string): string {
  const w = words.trim()
  if (!w) return text
  return text.replace(
    new RegExp(`(^|[^\\p{L}\\p{N}])${wordsPattern(w)}(?=$|[^\\p{L}\\p{N}])`, 'giu'),
    (_m, before: string) => `${before}${by}`,
  )
}

/** An item as released: each part either shown or a "[Redacted: …]" block. Never the redacted words. */
export type ReleasedItem = { withheld: string | null; fields: { label: string; value: string; redacted: boolean }[] }

export function releasedItem(fields: readonly ItemField[], redactions: readonly Redaction[]): ReleasedItem {
  const whole = redactions.find((r) => r.part === 'ITEM')
  if (whole) return { withheld: redactedText(whole), fields: [] }
  return {
    withheld: null,
    fields: fields.map((f) => {
      const field = redactions.find((r) => r.part === 'FIELD' && r.fieldKey === f.key)
      if (field) return { label: f.label, value: redactedText(field), redacted: true }
      let value = f.value
      let redacted = false
      // Longest words first, so "Robin Quayle" goes before "Robin".
      const spans = redactions
        .filter((r) => r.part === 'WORDS' && (r.fieldKey === f.key || r.fieldKey === null))
        .sort((a, b) => (b.words?.length ?? 0) - (a.words?.length ?? 0))
      for (const r of spans) {
        if (!r.words || !containsWords(value, r.words)) continue
        value = replaceWords(value, r.words, redactedText(r))
        redacted = true
      }
      return { label: f.label, value, redacted }
    }),
  }
}

/**
 * Where a third party's name appears in an item's fields: the names to pre-mark as words to
 * redact (the full name first, then the given names alone), each with the field it is in.
 */
export function namesIn(
  fields: readonly ItemField[],
  name: { givenNames: string; familyName: string },
  subjectFamilyName = '',
): { fieldKey: string; words: string }[] {
  const tidy = (s: string) => s.trim().replace(/\s+/g, ' ')
  const sameName = tidy(name.familyName).toLocaleLowerCase('en-GB') === tidy(subjectFamilyName).toLocaleLowerCase('en-GB')
  const candidates = [
    `${tidy(name.givenNames)} ${tidy(name.familyName)}`.trim(),
    tidy(name.givenNames),
    // The family name alone, unless the subject shares it (then it is theirs too).
    ...(sameName ? [] : [tidy(name.familyName)]),
  ].filter((n) => n.length > 1)
  const found: { fieldKey: string; words: string }[] = []
  for (const f of fields) for (const words of candidates) if (containsWords(f.value, words)) found.push({ fieldKey: f.key, words })
  return found
}

/** For a parent's or carer's request: whether an item mentions them by name (every field, ignoring case). */
export const mentions = (fields: readonly ItemField[], name: string) => fields.some((f) => containsWords(f.value, name))

/**
 * An item's heading as released: null when the whole item is withheld; otherwise its title as
 * the title field reads once redacted, or `fallback` (where it came from) when any redaction
 * touches the title, so a heading never shows what the redactions hide.
 */
export function releasedTitle(
  item: { title: string; fields: readonly ItemField[] },
  redactions: readonly Redaction[],
  fallback: string,
): string | null {
  const released = releasedItem(item.fields, redactions)
  if (released.withheld) return null
  const titleField = item.fields.findIndex((f) => f.key === 'title')
  if (titleField !== -1 && released.fields[titleField]?.redacted) return fallback
  const touched = redactions.some((r) => {
    if (r.part === 'WORDS') return !!r.words && containsWords(item.title, r.words)
    if (r.part === 'FIELD') {
      const value = item.fields.find((f) => f.key === r.fieldKey)?.value ?? ''
      return value.trim().length > 0 && (containsWords(item.title, value) || containsWords(value, item.title))
    }
    return false
  })
  return touched ? fallback : item.title
}
