import { Router } from 'express'
import { ROLE_LABELS } from '../../platform/access/roles.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { landingFor } from './landing.rules.js'

export function homeRoutes(registry: RouteRegistry): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/', { kind: 'signed-in' }, (req, res) => {
    const user = req.actor
    if (!user) return res.redirect('/sign-in')
    const landing = landingFor(user.roles)
    if (landing.redirect) return res.redirect(landing.redirect)
    res.render('home/views/home.njk', { pageTitle: landing.heading, landing, roleLabels: user.roles.map((r) => ROLE_LABELS[r]) })
  })

  route.get('/accessibility', { kind: 'public' }, (_req, res) => {
    res.render('home/views/accessibility.njk', { pageTitle: 'Accessibility statement' })
  })
  route.get('/privacy', { kind: 'public' }, (_req, res) => {
    res.render('home/views/privacy.njk', { pageTitle: 'Privacy notice' })
  })
  return router
}
