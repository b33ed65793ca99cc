import { canInPartnership } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'

export type NavigationItem = { href: string; text: string; active: boolean }

/** Service navigation: only the places this person can use. */
export function navigationFor(user: CurrentUser | undefined, path: string): NavigationItem[] {
  if (!user) return []
  const items: { href: string; text: string }[] = [{ href: '/', text: 'Home' }]
  if (canInPartnership(user, 'admin:manage-users')) items.push({ href: '/admin/users', text: 'Users' })
  return items.map((item) => ({
    ...item,
    active: item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`),
  }))
}
