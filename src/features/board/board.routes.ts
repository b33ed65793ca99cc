import { Router } from 'express'
import { dateInputItems, datePartsOf } from '../../platform/forms/dates.js'
import { field, formValues, wholeNumber, type FieldError } from '../../platform/forms/forms.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { STATUS_LABELS, STATUSES } from './board.rules.js'
import type { BoardService } from './board.service.js'

const READ = { kind: 'partnership', action: 'board:read' } as const
const MANAGE = { kind: 'partnership', action: 'board:manage' } as const
const VIEWS = 'board/views'

const version = (body: unknown): number | null => wholeNumber(field(body, 'version'))

const statusItems = (selected: string) => STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s], checked: s === selected }))

/** The board's meetings, agenda, minutes and action log. */
export function boardRoutes(registry: RouteRegistry, board: BoardService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/board', READ, async (req, res) => {
    res.render(`${VIEWS}/list.njk`, { ...(await board.list(req.actor!, req.requestId)), pageTitle: 'Board meetings' })
  })

  const renderNewMeeting = (values: Record<string, string | string[]> = {}, errors: FieldError[] = []) => ({
    pageTitle: 'Add a board meeting',
    values,
    errors,
    dateItems: dateInputItems('date', values, errors),
  })
  route.get('/board/meetings/new', MANAGE, async (_req, res) => res.render(`${VIEWS}/meeting-new.njk`, renderNewMeeting()))
  route.post('/board/meetings/new', MANAGE, async (req, res) => {
    const result = await board.createMeeting(
      req.actor!,
      { title: field(req.body, 'title'), date: datePartsOf(req.body, 'date') },
      req.requestId,
    )
    if (!result.ok) return res.status(400).render(`${VIEWS}/meeting-new.njk`, renderNewMeeting(formValues(req.body), result.errors))
    req.session.flash = { heading: 'Board meeting added' }
    res.redirect(`/board/meetings/${result.meetingId}`)
  })

  route.get('/board/meetings/:meetingId', READ, async (req, res) => {
    const page = await board.meeting(req.actor!, requireUuid(req.params.meetingId), req.requestId)
    res.render(`${VIEWS}/meeting.njk`, { ...page, statusLabels: STATUS_LABELS, pageTitle: page.meeting.title })
  })

  const agendaView = (
    page: Awaited<ReturnType<BoardService['agendaForm']>>,
    values: Record<string, string | string[]> = {},
    errors: FieldError[] = [],
  ) => ({
    ...page,
    pageTitle: 'Add an agenda item',
    values,
    errors,
    reviewItems: [
      { value: '', text: 'Not about a review' },
      ...page.reviews.map((r) => ({ value: r.id, text: r.name, selected: values.reviewId === r.id })),
    ],
  })
  route.get('/board/meetings/:meetingId/agenda/new', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/agenda-new.njk`, agendaView(await board.agendaForm(req.actor!, requireUuid(req.params.meetingId), req.requestId)))
  })
  route.post('/board/meetings/:meetingId/agenda/new', MANAGE, async (req, res) => {
    const meetingId = requireUuid(req.params.meetingId)
    const result = await board.addAgendaItem(
      req.actor!,
      meetingId,
      { title: field(req.body, 'title'), reviewId: field(req.body, 'reviewId') },
      req.requestId,
    )
    if (!result.ok)
      return res.status(result.status).render(`${VIEWS}/agenda-new.njk`, agendaView(result.page, formValues(req.body), result.errors))
    req.session.flash = { heading: 'Agenda item added' }
    res.redirect(`/board/meetings/${meetingId}`)
  })

  const minutesView = (
    page: Awaited<ReturnType<BoardService['minutesForm']>>,
    minutes?: string,
    errors: FieldError[] = [],
    conflict = false,
  ) => ({ ...page, pageTitle: `Minutes – ${page.item.title}`, minutes: minutes ?? page.item.minutes ?? '', errors, conflict })
  route.get('/board/meetings/:meetingId/agenda/:itemId/minutes', MANAGE, async (req, res) => {
    res.render(
      `${VIEWS}/minutes.njk`,
      minutesView(await board.minutesForm(req.actor!, requireUuid(req.params.meetingId), requireUuid(req.params.itemId), req.requestId)),
    )
  })
  route.post('/board/meetings/:meetingId/agenda/:itemId/minutes', MANAGE, async (req, res) => {
    const meetingId = requireUuid(req.params.meetingId)
    const result = await board.saveMinutes(
      req.actor!,
      meetingId,
      requireUuid(req.params.itemId),
      { minutes: field(req.body, 'minutes'), version: version(req.body) },
      req.requestId,
    )
    if (!result.ok)
      return res
        .status(result.status)
        .render(`${VIEWS}/minutes.njk`, minutesView(result.page, field(req.body, 'minutes'), result.errors, result.status === 409))
    req.session.flash = { heading: 'Minutes saved' }
    res.redirect(`/board/meetings/${meetingId}`)
  })

  const actionView = (
    page: Awaited<ReturnType<BoardService['actionForm']>>,
    values: Record<string, string | string[]> = {},
    errors: FieldError[] = [],
  ) => ({
    ...page,
    pageTitle: 'Add a board action',
    values,
    errors,
    dateItems: dateInputItems('due', values, errors),
    ownerItems: [
      { value: '', text: 'Not a person here (type below)' },
      ...page.people.map((p) => ({ value: p.id, text: `${p.displayName} (${p.agencyName})`, selected: values.ownerUserId === p.id })),
    ],
    itemItems: [
      { value: '', text: 'Not about one item' },
      ...page.items.map((i) => ({ value: i.id, text: `${i.position}. ${i.title}`, selected: values.agendaItemId === i.id })),
    ],
  })
  route.get('/board/meetings/:meetingId/actions/new', MANAGE, async (req, res) => {
    res.render(`${VIEWS}/action-new.njk`, actionView(await board.actionForm(req.actor!, requireUuid(req.params.meetingId), req.requestId)))
  })
  route.post('/board/meetings/:meetingId/actions/new', MANAGE, async (req, res) => {
    const meetingId = requireUuid(req.params.meetingId)
    const input = {
      text: field(req.body, 'text'),
      ownerUserId: field(req.body, 'ownerUserId'),
      ownerText: field(req.body, 'ownerText'),
      due: datePartsOf(req.body, 'due'),
      agendaItemId: field(req.body, 'agendaItemId'),
    }
    const result = await board.addAction(req.actor!, meetingId, input, req.requestId)
    if (!result.ok)
      return res.status(result.status).render(`${VIEWS}/action-new.njk`, actionView(result.page, formValues(req.body), result.errors))
    req.session.flash = { heading: `Action ${result.label} added` }
    res.redirect(`/board/meetings/${meetingId}#actions`)
  })

  route.get('/board/actions', READ, async (req, res) => {
    const page = await board.actionsLog(req.actor!, req.query.show !== 'all', req.requestId)
    res.render(`${VIEWS}/actions.njk`, { ...page, statusLabels: STATUS_LABELS, pageTitle: 'Board action log' })
  })

  const progressView = (
    page: Awaited<ReturnType<BoardService['action']>>,
    values: { status?: string; note?: string } = {},
    errors: FieldError[] = [],
  ) => ({
    ...page,
    pageTitle: `Board action ${page.action.label}`,
    statusLabels: STATUS_LABELS,
    statusItems: statusItems(values.status ?? page.action.status),
    note: values.note ?? '',
    errors,
  })
  route.get('/board/actions/:actionId', READ, async (req, res) => {
    res.render(`${VIEWS}/action.njk`, progressView(await board.action(req.actor!, requireUuid(req.params.actionId), req.requestId)))
  })
  route.post('/board/actions/:actionId/progress', MANAGE, async (req, res) => {
    const actionId = requireUuid(req.params.actionId)
    const form = { status: field(req.body, 'status'), note: field(req.body, 'note'), version: version(req.body) }
    const result = await board.addProgress(req.actor!, actionId, form, req.requestId)
    if (!result.ok) return res.status(result.status).render(`${VIEWS}/action.njk`, progressView(result.page, form, result.errors))
    req.session.flash = { heading: 'Progress update added' }
    res.redirect(`/board/actions/${actionId}`)
  })

  return router
}
