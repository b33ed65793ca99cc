import { canInPartnership } from '../../platform/access/policy.js'
import { isPractitioner } from '../../platform/access/roles.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'

export type NavigationItem = { href: string; text: string; active: boolean }

/**
 * Service navigation: only the places this person can use. Built from the person alone, with
 * no query: the unread notification count is on the "My work" page, not here.
 */
export function navigationFor(user: CurrentUser | undefined, path: string): NavigationItem[] {
  if (!user) return []
  const items: { href: string; text: string }[] = [{ href: '/', text: 'Home' }]
  // Practitioners work with children's cases: they have a "My work" queue and notifications.
  const worksWithCases = isPractitioner(user.roles)
  if (worksWithCases) items.push({ href: '/work', text: 'My work' })
  if (canInPartnership(user, 'work:front-door')) items.push({ href: '/work/front-door', text: 'Front door' })
  if (canInPartnership(user, 'work:team')) items.push({ href: '/work/team', text: 'Team' })
  if (canInPartnership(user, 'work:hsb-overview')) items.push({ href: '/work/hsb-overview', text: 'HSB overview' })
  if (canInPartnership(user, 'child:find-or-create')) items.push({ href: '/children/search', text: 'Find a child' })
  // Anyone who may raise a request for support follows the ones they raised.
  if (canInPartnership(user, 'child:find-or-create')) items.push({ href: '/requests', text: 'Your requests' })
  // The privacy officer is notified of break-glass access and privacy alerts.
  if (worksWithCases || canInPartnership(user, 'privacy:review')) items.push({ href: '/notifications', text: 'Notifications' })
  if (canInPartnership(user, 'reviews:read')) items.push({ href: '/reviews', text: 'Action plans' })
  if (canInPartnership(user, 'reviews:read')) items.push({ href: '/case-audits', text: 'Case audits' })
  if (canInPartnership(user, 'board:read')) items.push({ href: '/board', text: 'Board' })
  if (canInPartnership(user, 'insight:read')) items.push({ href: '/insight', text: 'Insight' })
  if (canInPartnership(user, 'screening:manage-catalogue')) items.push({ href: '/screening-catalogue', text: 'Screening catalogue' })
  if (canInPartnership(user, 'retention:manage')) items.push({ href: '/admin/retention', text: 'Retention' })
  if (canInPartnership(user, 'timescales:manage')) items.push({ href: '/admin/timescales', text: 'Timescales' })
  if (canInPartnership(user, 'privacy:review')) items.push({ href: '/privacy/alerts', text: 'Privacy alerts' })
  if (canInPartnership(user, 'privacy:review')) items.push({ href: '/privacy/access', text: 'Access reports' })
  if (canInPartnership(user, 'admin:manage-users')) items.push({ href: '/admin/users', text: 'Users' })
  if (canInPartnership(user, 'subject-access:manage')) items.push({ href: '/privacy/subject-access', text: 'Subject access' })
  if (canInPartnership(user, 'organisations:manage')) items.push({ href: '/admin/organisations', text: 'Organisations' })
  return items.map((item) => ({
    ...item,
    // "Home" and "My work" are active on their own page only: the other queues live under /work/.
    active: item.href === '/' || item.href === '/work' ? path === item.href : path === item.href || path.startsWith(`${item.href}/`),
  }))
}
