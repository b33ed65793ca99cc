import type { RegisteredRoute } from '../../src/platform/http/routes.js'

/**
 * Concrete URLs for registered routes (used by the header, foreign-id and fuzz suites): each
 * `:param` filled from the values given, a fresh UUID for an id nobody has, or a word.
 */
export type ParamValues = Partial<Record<string, string>>

export function concretePath(route: Pick<RegisteredRoute, 'path'>, values: ParamValues): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = values[name]
    if (v !== undefined) return encodeURIComponent(v)
    return /Id$/.test(name) ? '00000000-0000-4000-8000-000000000000' : 'STRATEGY_MEETING'
  })
}

/** The id-bearing parameters of a route (`:caseId`, `:childId`, `:meetingId`, ...). */
export const idParams = (route: Pick<RegisteredRoute, 'path'>) => [...route.path.matchAll(/:([A-Za-z]+Id)\b/g)].map((m) => m[1]!)

/** Routes that end the session or sign in: exercised separately so a sweep keeps its session. */
export const SESSION_ROUTES = new Set([
  'POST /sign-out',
  'POST /sign-in',
  'POST /sign-in/code',
  'POST /sign-in/set-up-authenticator',
  'GET /sign-in/oidc',
  'GET /sign-in/oidc/callback',
])
export const keyOf = (r: Pick<RegisteredRoute, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`
