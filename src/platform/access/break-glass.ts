import { ForbiddenError } from '../http/errors.js'
import { can, type Actor, type ChildResource } from './policy.js'

/**
 * Break-glass (issue 18, the NHS Spine / Epic "break the glass" pattern): a person with a
 * legitimate reason but no relationship to a child opens the record for BREAK_GLASS_HOURS after
 * choosing a reason and confirming; the access is recorded, notified and reviewed. What it opens
 * is the access policy's (`can`: read only, never a restricted record).
 */

/** Why a record is opened in an emergency: the form's radios. */
export const BREAK_GLASS_REASONS = {
  OUT_OF_HOURS: 'Out-of-hours emergency',
  IMMEDIATE_RISK: 'Immediate risk to a child',
  POLICE_EMERGENCY: 'Police emergency request',
  OTHER: 'Other',
} as const
export type BreakGlassReason = keyof typeof BREAK_GLASS_REASONS

/** Break-glass opens a record to read, nothing more. */
export const BREAK_GLASS_READ_ONLY = 'Break-glass access lets you read this record, not change it.'

/**
 * Refusing to open a record in an emergency: a restricted record (open only to the people named
 * on it) or a role that may not break glass. The same plain words either way, so the refusal
 * does not say whether the record is restricted.
 */
export const BREAK_GLASS_REFUSED = 'This record cannot be opened in an emergency. Ask the HSB lead or the head of service.'

/**
 * Whether a person refused this child's record is offered "Open this record in an emergency":
 * a role that may break glass, in the child's partnership, whether or not the record is
 * restricted. Offering it only on records that are not would tell a break-glass role which
 * records are restricted; the break-glass form refuses a restricted one with BREAK_GLASS_REFUSED,
 * which does not say why.
 */
export function offersBreakGlass(actor: Actor, child: ChildResource): boolean {
  return can(actor, 'child:break-glass', { ...child, isRestricted: false })
}

/** Where a person refused a record may open it in an emergency. */
export const breakGlassPath = (childId: string) => `/children/${childId}/break-glass`

/**
 * The refusal of a child's record or case, with the way to open it in an emergency for someone
 * who may break glass: `refusedChildId` is set by the door's access decision only then (the person
 * holds a break-glass role: `offersBreakGlass`, restricted record or not), and the 403 page offers
 * "Open this record in an emergency".
 */
export async function offerBreakGlass<T>(refusedChildId: () => string | null, work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    const childId = refusedChildId()
    if (childId && err instanceof ForbiddenError && !err.offer)
      throw new ForbiddenError(err.message, { href: breakGlassPath(childId), text: 'Open this record in an emergency' })
    throw err
  }
}
