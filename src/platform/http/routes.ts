import type { NextFunction, Request, RequestHandler, Response, Router } from 'express'
import { canInPartnership, type ChildAction, type PartnershipAction } from '../access/policy.js'
import { ForbiddenError } from './errors.js'

/**
 * Every route declares its permission when it is registered; there is no other way to add
 * one. The registry is what the authorisation-matrix test walks.
 */
export type Permission =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  /** Decided by role alone, before the handler runs. */
  | { kind: 'partnership'; action: PartnershipAction }
  /** Decided by the service once it knows the child: role × relationship × restriction. */
  | { kind: 'child'; action: ChildAction }

export type Method = 'get' | 'post'
/** `upload`: the route takes a file (a multipart body), read before the route runs only for someone its permission lets in. */
export type RegisteredRoute = { method: Method; path: string; permission: Permission; upload?: boolean }

/** Called when the route guard refuses someone, so the refusal can be audited. */
export type DeniedHandler = (req: Request, route: RegisteredRoute & { permission: { kind: 'partnership' } }) => Promise<void>

export class RouteRegistry {
  readonly routes: RegisteredRoute[] = []

  constructor(private readonly onDenied: DeniedHandler = async () => {}) {}

  add(router: Router, prefix: string, method: Method, path: string, permission: Permission, handler: RequestHandler, upload = false) {
    const full = (prefix + path).replace(/\/+$/, '') || '/'
    const route: RegisteredRoute = { method, path: full, permission, ...(upload ? { upload } : {}) }
    this.routes.push(route)
    if (upload) this.uploads.push({ pattern: patternOf(full), permission })
    router[method](path, guard(route, this.onDenied), handler)
  }

  private readonly uploads: { pattern: RegExp; permission: Permission }[] = []

  /**
   * Whether this request's multipart body may be read: it is a POST to a route registered as an
   * upload, by someone that route's permission lets in (a child route's is decided later, by its
   * service). Anything else is not read: its security token check then refuses it.
   */
  mayUpload(req: Request): boolean {
    if (req.method !== 'POST' || !req.actor) return false
    const route = this.uploads.find((u) => u.pattern.test(req.path))
    if (!route) return false
    return route.permission.kind !== 'partnership' || canInPartnership(req.actor, route.permission.action)
  }
}

/** A registered path as a pattern: each `:name` one segment. */
const patternOf = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`)

/** Returns a function for one router that registers its routes with their permissions. */
export function routesFor(registry: RouteRegistry, router: Router, prefix = '') {
  return {
    get: (path: string, permission: Permission, handler: RequestHandler) => registry.add(router, prefix, 'get', path, permission, handler),
    post: (path: string, permission: Permission, handler: RequestHandler) =>
      registry.add(router, prefix, 'post', path, permission, handler),
    /** A POST that takes a file: its body is read (csrf.ts) only for someone `permission` lets in. */
    upload: (path: string, permission: Permission, handler: RequestHandler) =>
      registry.add(router, prefix, 'post', path, permission, handler, true),
  }
}

function guard(route: RegisteredRoute, onDenied: DeniedHandler): RequestHandler {
  const { permission } = route
  return async (req: Request, res: Response, next: NextFunction) => {
    if (permission.kind === 'public') return next()
    const actor = req.actor
    if (!actor) {
      const returnTo = req.method === 'GET' ? req.originalUrl : '/'
      req.session.returnTo = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/'
      return res.redirect('/sign-in')
    }
    if (permission.kind === 'partnership' && !canInPartnership(actor, permission.action)) {
      await onDenied(req, { ...route, permission })
      return next(new ForbiddenError())
    }
    next()
  }
}
