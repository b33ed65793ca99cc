import { Router } from 'express'
import { ConflictError, requireUuid } from '../../platform/http/errors.js'
import { formValues, parseForm, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { pageFrom } from '../queues/index.js'
import { CREATE_USER_FIELDS, createUserSchema, inFormOrder, parseRolesForm, trainingSchema } from './admin.form.js'
import { presentNewUserForm, presentRolesForm, presentTrainingForm, presentUser, presentUserList } from './admin.presenter.js'
import type { AdminService } from './admin.service.js'

const MANAGE = { kind: 'partnership', action: 'admin:manage-users' } as const
const VIEWS = 'admin/views'

function searchFrom(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 100) : ''
}

/** The system administrator's pages for people: accounts, roles and teams, training. */
export function adminRoutes(registry: RouteRegistry, admin: AdminService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/admin/users', MANAGE, async (req, res) => {
    const search = searchFrom(req.query.q)
    const result = await admin.listUsers(req.actor!, { page: pageFrom(req.query.page), ...(search ? { search } : {}) })
    res.render(`${VIEWS}/users.njk`, presentUserList(result, search))
  })

  route.get('/admin/users/new', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/new-user.njk`, presentNewUserForm(await admin.listAgencies(req.actor!)))
  })

  route.post('/admin/users/new', MANAGE, async (req, res) => {
    const values = formValues(req.body)
    const renderErrors = async (errors: FieldError[]) => {
      const agencies = await admin.listAgencies(req.actor!)
      res.status(400).render(`${VIEWS}/new-user.njk`, presentNewUserForm(agencies, values, inFormOrder(errors, CREATE_USER_FIELDS)))
    }
    const parsed = parseForm(createUserSchema, req.body)
    if (!parsed.ok) return renderErrors(parsed.errors)
    const { displayName, email, agency, roles, teams, password } = parsed.value
    const result = await admin.createUser(
      req.actor!,
      { displayName, email, agencyId: agency, roles, teamIds: teams, password },
      req.requestId,
    )
    if (!result.ok) return renderErrors(result.errors)
    req.session.flash = {
      heading: `Account created for ${displayName}`,
      text: 'Give them their initial password securely. They set up their authenticator app when they first sign in.',
    }
    res.redirect(`/admin/users/${result.value}`)
  })

  route.get('/admin/users/:userId', MANAGE, async (req, res) => {
    const view = await admin.viewUser(req.actor!, requireUuid(req.params.userId))
    res.render(`${VIEWS}/user.njk`, presentUser(view, req.actor!.id))
  })

  route.get('/admin/users/:userId/roles', MANAGE, async (req, res) => {
    const view = await admin.viewUser(req.actor!, requireUuid(req.params.userId))
    res.render(`${VIEWS}/roles.njk`, presentRolesForm(view))
  })

  route.post('/admin/users/:userId/roles', MANAGE, async (req, res) => {
    const userId = requireUuid(req.params.userId)
    const values = formValues(req.body)
    const rerender = async (status: number, errors: FieldError[], conflict = false) => {
      const view = await admin.viewUser(req.actor!, userId)
      res.status(status).render(`${VIEWS}/roles.njk`, presentRolesForm(view, { values, errors, conflict }))
    }
    const parsed = parseRolesForm(req.body)
    if (!parsed.ok) return rerender(400, parsed.errors)
    try {
      const result = await admin.setRolesAndTeams(
        req.actor!,
        userId,
        { roles: parsed.value.roles, teamIds: parsed.value.teams, version: parsed.value.version },
        req.requestId,
      )
      if (!result.ok) return rerender(400, inFormOrder(result.errors, ['roles', 'teams']))
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      return rerender(409, [{ href: '#roles', text: err.message }], true)
    }
    req.session.flash = { heading: 'Roles and teams updated' }
    res.redirect(`/admin/users/${userId}`)
  })

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    route.post(`/admin/users/:userId/${action}`, MANAGE, async (req, res) => {
      const userId = requireUuid(req.params.userId)
      const user = await admin.setDisabled(req.actor!, userId, disabled, req.requestId)
      req.session.flash = disabled
        ? { heading: `${user.displayName}’s account is disabled`, text: 'They have been signed out everywhere and cannot sign in.' }
        : { heading: `${user.displayName}’s account is enabled`, text: 'They can sign in again.' }
      res.redirect(`/admin/users/${userId}`)
    })
  }

  route.get('/admin/users/:userId/training/new', MANAGE, async (req, res) => {
    const { user } = await admin.viewUser(req.actor!, requireUuid(req.params.userId))
    res.render(`${VIEWS}/training.njk`, presentTrainingForm(user))
  })

  route.post('/admin/users/:userId/training/new', MANAGE, async (req, res) => {
    const userId = requireUuid(req.params.userId)
    const values = formValues(req.body)
    const parsed = parseForm(trainingSchema, req.body)
    const result = parsed.ok ? await admin.recordTraining(req.actor!, userId, parsed.value, req.requestId) : parsed
    if (!result.ok) {
      const { user } = await admin.viewUser(req.actor!, userId)
      return res.status(400).render(`${VIEWS}/training.njk`, presentTrainingForm(user, values, result.errors))
    }
    req.session.flash = { heading: 'Training recorded' }
    res.redirect(`/admin/users/${userId}`)
  })

  return router
}
