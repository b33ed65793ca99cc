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
export type RegisteredRoute = { method: Method; path: string; permission: Permission }

/** Called when the route guard refuses someone, so the refusal can be audited. */
export type DeniedHandler = (req: Request, route: RegisteredRoute & { permission: { kind: 'partnership' } }) => Promise<void>

export class RouteRegistry {
  readonly routes: RegisteredRoute[] = []

  constructor(private readonly onDenied: DeniedHandler = async () => {}) {}

  add(router: Router, prefix: string, method: Method, path: string, permission: Permission, handler: RequestHandler) {
    const full = (prefix + path).replace(/\/+$/, '') || '/'
    const route = { method, path: full, permission }
    this.routes.push(route)
    router[method](path, guard(route, this.onDenied), handler)
  }
}

/** Returns a function for one router that registers its routes with their permissions. */
export function routesFor(registry: RouteRegistry, router: Router, prefix = '') {
  return {
    get: (path: string, permission: Permission, handler: RequestHandler) => registry.add(router, prefix, 'get', path, permission, handler),
    post: (path: string, permission: Permission, handler: RequestHandler) =>
      registry.add(router, prefix, 'post', path, permission, handler),
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
