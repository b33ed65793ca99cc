import { Router, type Request, type Response } from 'express'
import { formValues, type FieldError } from '../../platform/forms/forms.js'
import { ConflictError, requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { readAgencyForm, readRetireForm, readTeamForm } from './organisations.form.js'
import {
  agencyPath,
  ORGANISATIONS_PATH,
  presentAgency,
  presentAgencyForm,
  presentOverview,
  presentRetire,
  presentTeam,
  presentTeamForm,
  teamPath,
} from './organisations.presenter.js'
import type { Change } from './organisations.rules.js'
import type { OrganisationsService } from './organisations.service.js'

const MANAGE = { kind: 'partnership', action: 'organisations:manage' } as const
const VIEWS = 'organisations/views'

const savedHeading = (name: string, changes: Change[]) => (changes.length ? `${name} updated` : 'Nothing changed')

/** The system administrator's and business manager's pages for the partnership's agencies and teams. */
export function organisationsRoutes(registry: RouteRegistry, organisations: OrganisationsService): Router {
  const router = Router()
  const route = routesFor(registry, router)
  const agencyId = (req: Request) => requireUuid(req.params.agencyId)
  const teamId = (req: Request) => requireUuid(req.params.teamId)

  /** A stale edit: the form again with what was typed, what the record says now, and the version to send. */
  const conflicted = (res: Response, view: string, locals: object) => res.status(409).render(`${VIEWS}/${view}`, locals)

  route.get(ORGANISATIONS_PATH, MANAGE, async (req, res) => {
    res.render(`${VIEWS}/organisations.njk`, presentOverview(await organisations.overview(req.actor!, req.requestId)))
  })

  // Agencies

  route.get(`${ORGANISATIONS_PATH}/agencies/new`, MANAGE, async (_req, res) => {
    res.render(`${VIEWS}/agency-form.njk`, presentAgencyForm(null))
  })

  route.post(`${ORGANISATIONS_PATH}/agencies/new`, MANAGE, async (req, res) => {
    const result = await organisations.addAgency(req.actor!, readAgencyForm(req.body), req.requestId)
    if (!result.ok)
      return res
        .status(400)
        .render(`${VIEWS}/agency-form.njk`, presentAgencyForm(null, { values: formValues(req.body), errors: result.errors }))
    req.session.flash = { heading: 'Agency added' }
    res.redirect(agencyPath(result.value))
  })

  route.get(`${ORGANISATIONS_PATH}/agencies/:agencyId`, MANAGE, async (req, res) => {
    res.render(`${VIEWS}/agency.njk`, presentAgency(await organisations.viewAgency(req.actor!, agencyId(req), req.requestId)))
  })

  route.get(`${ORGANISATIONS_PATH}/agencies/:agencyId/edit`, MANAGE, async (req, res) => {
    const { agency } = await organisations.viewAgency(req.actor!, agencyId(req), req.requestId)
    if (agency.retiredAt) throw new ConflictError('This agency is retired: it cannot be changed.')
    res.render(`${VIEWS}/agency-form.njk`, presentAgencyForm(agency))
  })

  route.post(`${ORGANISATIONS_PATH}/agencies/:agencyId/edit`, MANAGE, async (req, res) => {
    const id = agencyId(req)
    const values = formValues(req.body)
    try {
      const result = await organisations.changeAgency(req.actor!, id, readAgencyForm(req.body), req.requestId)
      if (!result.ok) {
        const { agency } = await organisations.viewAgency(req.actor!, id, req.requestId)
        return res.status(400).render(`${VIEWS}/agency-form.njk`, presentAgencyForm(agency, { values, errors: result.errors }))
      }
      req.session.flash = { heading: savedHeading('The agency', result.value) }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      const { agency } = await organisations.viewAgency(req.actor!, id, req.requestId)
      if (agency.retiredAt) throw err
      return conflicted(res, 'agency-form.njk', presentAgencyForm(agency, { values, errors: stale(err), conflict: true }))
    }
    res.redirect(agencyPath(id))
  })

  route.get(`${ORGANISATIONS_PATH}/agencies/:agencyId/retire`, MANAGE, async (req, res) => {
    const { agency } = await organisations.viewAgency(req.actor!, agencyId(req), req.requestId)
    res.render(`${VIEWS}/retire.njk`, presentRetire('agency', agency))
  })

  route.post(`${ORGANISATIONS_PATH}/agencies/:agencyId/retire`, MANAGE, async (req, res) => {
    const id = agencyId(req)
    try {
      const result = await organisations.retireAgency(req.actor!, id, readRetireForm(req.body), req.requestId)
      if (!result.ok) {
        const { agency } = await organisations.viewAgency(req.actor!, id, req.requestId)
        return res.status(409).render(`${VIEWS}/retire.njk`, presentRetire('agency', agency, result.errors))
      }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      const { agency } = await organisations.viewAgency(req.actor!, id, req.requestId)
      return conflicted(res, 'retire.njk', presentRetire('agency', agency, stale(err, '#retire')))
    }
    req.session.flash = { heading: 'Agency retired', text: 'Its name stays on the records that hold it. Forms no longer offer it.' }
    res.redirect(agencyPath(id))
  })

  // Teams

  route.get(`${ORGANISATIONS_PATH}/teams/new`, MANAGE, async (req, res) => {
    const agencies = await organisations.agencyChoices(req.actor!, req.requestId)
    const chosen = typeof req.query.agency === 'string' ? req.query.agency : ''
    res.render(`${VIEWS}/team-form.njk`, presentTeamForm(null, agencies, { agencyId: chosen }))
  })

  route.post(`${ORGANISATIONS_PATH}/teams/new`, MANAGE, async (req, res) => {
    const result = await organisations.addTeam(req.actor!, readTeamForm(req.body), req.requestId)
    if (!result.ok) {
      const agencies = await organisations.agencyChoices(req.actor!, req.requestId)
      return res
        .status(400)
        .render(`${VIEWS}/team-form.njk`, presentTeamForm(null, agencies, { values: formValues(req.body), errors: result.errors }))
    }
    req.session.flash = { heading: 'Team added' }
    res.redirect(teamPath(result.value))
  })

  route.get(`${ORGANISATIONS_PATH}/teams/:teamId`, MANAGE, async (req, res) => {
    res.render(`${VIEWS}/team.njk`, presentTeam(await organisations.viewTeam(req.actor!, teamId(req), req.requestId)))
  })

  route.get(`${ORGANISATIONS_PATH}/teams/:teamId/edit`, MANAGE, async (req, res) => {
    const { team } = await organisations.viewTeam(req.actor!, teamId(req), req.requestId)
    if (team.retiredAt) throw new ConflictError('This team is retired: it cannot be changed.')
    res.render(`${VIEWS}/team-form.njk`, presentTeamForm(team, []))
  })

  route.post(`${ORGANISATIONS_PATH}/teams/:teamId/edit`, MANAGE, async (req, res) => {
    const id = teamId(req)
    const values = formValues(req.body)
    try {
      const result = await organisations.changeTeam(req.actor!, id, readTeamForm(req.body), req.requestId)
      if (!result.ok) {
        const { team } = await organisations.viewTeam(req.actor!, id, req.requestId)
        return res.status(400).render(`${VIEWS}/team-form.njk`, presentTeamForm(team, [], { values, errors: result.errors }))
      }
      req.session.flash = { heading: savedHeading('The team', result.value) }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      const { team } = await organisations.viewTeam(req.actor!, id, req.requestId)
      if (team.retiredAt) throw err
      return conflicted(res, 'team-form.njk', presentTeamForm(team, [], { values, errors: stale(err), conflict: true }))
    }
    res.redirect(teamPath(id))
  })

  route.get(`${ORGANISATIONS_PATH}/teams/:teamId/retire`, MANAGE, async (req, res) => {
    const { team } = await organisations.viewTeam(req.actor!, teamId(req), req.requestId)
    res.render(`${VIEWS}/retire.njk`, presentRetire('team', team))
  })

  route.post(`${ORGANISATIONS_PATH}/teams/:teamId/retire`, MANAGE, async (req, res) => {
    const id = teamId(req)
    try {
      const result = await organisations.retireTeam(req.actor!, id, readRetireForm(req.body), req.requestId)
      if (!result.ok) {
        const { team } = await organisations.viewTeam(req.actor!, id, req.requestId)
        return res.status(409).render(`${VIEWS}/retire.njk`, presentRetire('team', team, result.errors))
      }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      const { team } = await organisations.viewTeam(req.actor!, id, req.requestId)
      return conflicted(res, 'retire.njk', presentRetire('team', team, stale(err, '#retire')))
    }
    req.session.flash = { heading: 'Team retired', text: 'Its name stays on the records that hold it. Forms no longer offer it.' }
    res.redirect(teamPath(id))
  })

  return router
}

/** A stale edit's message, for the error summary (it links to the form's first field, or the retire button). */
const stale = (err: ConflictError, href = '#name'): FieldError[] => [{ href, text: err.message }]
