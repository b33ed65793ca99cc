import { readDate, type DateParts } from '../../platform/forms/dates.js'
import type { FieldError, FormResult } from '../../platform/forms/forms.js'
import type { LevelOfConcern } from './insight.tables.js'

/** The provision register: what an entry holds, and how a form is checked. Pure. */

export const LEVELS: readonly { value: LevelOfConcern; label: string }[] = [
  { value: 'LOW', label: 'Low' },
  { value: 'MEDIUM', label: 'Medium' },
  { value: 'HIGH', label: 'High' },
]
export const levelLabel = (level: string) => LEVELS.find((l) => l.value === level)?.label ?? level

export const SERVICE_MAX = 200
export const NOTES_MAX = 2000
export const CAPACITY_MAX = 10_000

export type ProvisionInput = {
  service: string
  provider: string
  levels: readonly string[]
  capacity: string
  notes: string
  endedOn: DateParts
}

export type ProvisionValue = {
  service: string
  provider: string
  levels: LevelOfConcern[]
  capacity: number | null
  notes: string | null
  endedOn: string | null
}

/** The register's dates: from 2000, and none beyond 2100 (a year typed wrongly, not a plan). */
const LAST_DAY = '2100-12-31'

/** Checks a provision form; errors point at their fields, in form order. */
export function validateProvision(input: ProvisionInput): FormResult<ProvisionValue> {
  const errors: FieldError[] = []
  const service = input.service.trim()
  const provider = input.provider.trim()
  const notes = input.notes.trim()
  if (!service) errors.push({ href: '#service', text: 'Enter the name of the service' })
  else if (service.length > SERVICE_MAX)
    errors.push({ href: '#service', text: `The name of the service must be ${SERVICE_MAX} characters or fewer` })
  if (!provider) errors.push({ href: '#provider', text: 'Enter who provides the service' })
  else if (provider.length > SERVICE_MAX)
    errors.push({ href: '#provider', text: `The provider must be ${SERVICE_MAX} characters or fewer` })
  const known = LEVELS.map((l) => l.value as string)
  const levels = LEVELS.filter((l) => input.levels.includes(l.value)).map((l) => l.value)
  if (input.levels.some((l) => !known.includes(l))) errors.push({ href: '#levels', text: 'Select levels of concern from the list' })
  else if (levels.length === 0) errors.push({ href: '#levels', text: 'Select the levels of concern the service is for' })
  let capacity: number | null = null
  const capacityText = input.capacity.trim()
  if (capacityText) {
    if (!/^\d{1,6}$/.test(capacityText) || Number(capacityText) > CAPACITY_MAX)
      errors.push({ href: '#capacity', text: `Capacity must be a whole number from 0 to ${CAPACITY_MAX}, like 12` })
    else capacity = Number(capacityText)
  }
  if (notes.length > NOTES_MAX) errors.push({ href: '#notes', text: `Notes must be ${NOTES_MAX} characters or fewer` })
  const label = 'The date the service ended'
  const ended = readDate(input.endedOn, 'ended', label, { minYear: 2000 })
  if (ended.error) errors.push(ended.error)
  else if (ended.value && ended.value > LAST_DAY) errors.push({ href: '#ended-day', text: `${label} must be a real date` })
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { service, provider, levels, capacity, notes: notes || null, endedOn: ended.value } }
}

/** Whether an entry is still available on a day: not ended, or ending after it. */
export const isActiveOn = (endedOn: string | null, day: string) => endedOn === null || endedOn > day
