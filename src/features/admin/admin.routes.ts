import { Router } from 'express'
import { ConflictError, ForbiddenError, requireUuid } from '../../platform/http/errors.js'
import { formValues, parseForm, type FieldError } from '../../platform/forms/forms.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { pageFrom } from '../queues/index.js'
import { CREATE_USER_FIELDS, createUserSchema, inFormOrder, parseRolesForm, trainingSchema } from './admin.form.js'
import {
  presentNewUserForm,
  presentRoleGrants,
  presentRolesForm,
  presentTrainingForm,
  presentUser,
  presentUserList,
} from './admin.presenter.js'
import { OWN_ROLES_REFUSED, type AdminService } from './admin.service.js'

const MANAGE = { kind: 'partnership', action: 'admin:manage-users' } as const
const APPROVE = { kind: 'partnership', action: 'admin:approve-roles' } as const
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
    const { displayName, email, agency, roles, teams } = parsed.value
    const result = await admin.createUser(
      req.actor!,
      { displayName, email, agencyId: agency, roles, teamIds: teams, password: null },
      req.requestId,
    )
    if (!result.ok) return renderErrors(result.errors)
    req.session.flash = {
      heading: `Account created for ${displayName}`,
      text: 'We have emailed them a link to set their own password. It works once, for 7 days.',
    }
    res.redirect(`/admin/users/${result.value}`)
  })

  route.get('/admin/users/:userId', MANAGE, async (req, res) => {
    const view = await admin.viewUser(req.actor!, requireUuid(req.params.userId))
    res.render(`${VIEWS}/user.njk`, presentUser(view, req.actor!.id))
  })

  route.get('/admin/users/:userId/roles', MANAGE, async (req, res) => {
    const userId = requireUuid(req.params.userId)
    if (userId === req.actor!.id) throw new ForbiddenError(OWN_ROLES_REFUSED)
    const view = await admin.viewUser(req.actor!, userId)
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
      req.session.flash = result.value.awaitingApproval.length
        ? {
            heading: 'Roles and teams updated',
            text: 'Roles that open children’s records wait for a head of service or HSB lead to approve them. The privacy officer has been told.',
          }
        : { heading: 'Roles and teams updated' }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      return rerender(409, [{ href: '#roles', text: err.message }], true)
    }
    res.redirect(`/admin/users/${userId}`)
  })

  route.get('/admin/role-requests', APPROVE, async (req, res) => {
    const grants = await admin.listRoleGrants(req.actor!, req.requestId)
    res.render(`${VIEWS}/role-requests.njk`, presentRoleGrants(grants, req.actor!.id))
  })

  for (const [decision, approve] of [
    ['approve', true],
    ['decline', false],
  ] as const) {
    route.post(`/admin/role-requests/:grantId/${decision}`, APPROVE, async (req, res) => {
      try {
        const grant = await admin.decideRoleGrant(req.actor!, requireUuid(req.params.grantId), approve, req.requestId)
        req.session.flash = { heading: approve ? `Roles approved for ${grant.userName}` : `Roles declined for ${grant.userName}` }
      } catch (err) {
        // Decided by someone else a moment ago (or sent twice): say so on the list rather than fail.
        if (!(err instanceof ConflictError)) throw err
        req.session.flash = { heading: err.message }
      }
      res.redirect('/admin/role-requests')
    })
  }

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

  route.post('/admin/users/:userId/unlock-security-codes', MANAGE, async (req, res) => {
    const userId = requireUuid(req.params.userId)
    const { wasLocked } = await admin.unlockSecurityCodes(req.actor!, userId, req.requestId)
    req.session.flash = { heading: wasLocked ? 'Security codes unlocked' : 'Security codes were not locked' }
    res.redirect(`/admin/users/${userId}`)
  })

  route.post('/admin/users/:userId/invitation', MANAGE, async (req, res) => {
    const userId = requireUuid(req.params.userId)
    await admin.inviteAgain(req.actor!, userId, req.requestId)
    req.session.flash = { heading: 'Invitation sent', text: 'The earlier link no longer works. The new one works once, for 7 days.' }
    res.redirect(`/admin/users/${userId}`)
  })

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
