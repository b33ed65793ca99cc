import { Router } from 'express'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import type { AdminService } from './admin.service.js'

const MANAGE = { kind: 'partnership', action: 'admin:manage-users' } as const

export function adminRoutes(registry: RouteRegistry, admin: AdminService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  route.get('/admin/users', MANAGE, async (req, res) => {
    const result = await admin.listUsers(req.actor!, { page: 1 })
    res.render('admin/views/users.njk', { pageTitle: 'Users', users: result.users })
  })
  return router
}
