/**
 * Requests for support: the bases for sharing information. (Dates and times as a person types
 * them are the forms kit's: platform/forms/dates.ts.) Pure: no I/O.
 */

/** Why information about the child may be shared (recorded whether or not consent was sought). */
export const SHARING_BASES = {
  CONSENT: 'CONSENT',
  PUBLIC_TASK_WITHOUT_CONSENT: 'PUBLIC_TASK_WITHOUT_CONSENT',
  SAFEGUARDING_WITHOUT_CONSENT: 'SAFEGUARDING_WITHOUT_CONSENT',
} as const
export type SharingBasis = (typeof SHARING_BASES)[keyof typeof SHARING_BASES]
export const ALL_SHARING_BASES = Object.values(SHARING_BASES) as SharingBasis[]

export const SHARING_BASIS_LABELS = {
  CONSENT: 'The family agreed to the information being shared',
  PUBLIC_TASK_WITHOUT_CONSENT: 'Without consent: it is needed for our public task (statutory duty)',
  SAFEGUARDING_WITHOUT_CONSENT: 'Without consent: to protect a child from harm (safeguarding)',
} as const satisfies Record<SharingBasis, string>

export function isSharingBasis(value: unknown): value is SharingBasis {
  return typeof value === 'string' && Object.hasOwn(SHARING_BASES, value)
}
