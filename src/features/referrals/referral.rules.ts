/**
 * Requests for support: the bases for sharing information. (Dates and times as a person types
 * them are the forms kit's: platform/forms/dates.ts.) Pure: no I/O.
 */

/** Why information about the child may be shared (recorded whether or not consent was sought), in words. */
export const SHARING_BASIS_LABELS = {
  CONSENT: 'The family agreed to the information being shared',
  PUBLIC_TASK_WITHOUT_CONSENT: 'Without consent: it is needed for our public task (statutory duty)',
  SAFEGUARDING_WITHOUT_CONSENT: 'Without consent: to protect a child from harm (safeguarding)',
} as const
export type SharingBasis = keyof typeof SHARING_BASIS_LABELS
export const ALL_SHARING_BASES = Object.keys(SHARING_BASIS_LABELS) as SharingBasis[]

export function isSharingBasis(value: unknown): value is SharingBasis {
  return typeof value === 'string' && Object.hasOwn(SHARING_BASIS_LABELS, value)
}
