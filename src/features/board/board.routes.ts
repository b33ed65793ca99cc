import { Router, type Request } from 'express'
import { dateInputItems, datePartsOf } from '../../platform/forms/dates.js'
import { field, formValues, wholeNumber, type FieldError } from '../../platform/forms/forms.js'
import { requireUuid } from '../../platform/http/errors.js'
import { routesFor, type RouteRegistry } from '../../platform/http/routes.js'
import { STATUS_LABELS, STATUSES } from './board.rules.js'
import type { BoardService } from './board.service.js'

const READ = { kind: 'partnership', action: 'board:read' } as const
const MANAGE = { kind: 'partnership', action: 'board:manage' } as const
const VIEWS = 'board/views'

type Values = Record<string, string | string[]>

const version = (body: unknown): number | null => wholeNumber(field(body, 'version'))

const statusItems = (selected: string) => STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s], checked: s === selected }))

/** The board's meetings, agenda, minutes and action log. */
export function boardRoutes(registry: RouteRegistry, board: BoardService): Router {
  const router = Router()
  const route = routesFor(registry, router)

  route.get('/board', READ, async (req, res) => {
    res.render(`${VIEWS}/list.njk`, { ...(await board.list(req.actor!, req.requestId)), pageTitle: 'Board meetings' })
  })

  const renderNewMeeting = (values: Values = {}, errors: FieldError[] = []) => ({
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

  /**
   * A form of a meeting's, at `path` (GET and POST): refused, it is shown again with its status,
   * what was typed and the errors; saved, a flash and back to the meeting.
   */
  function meetingForm<P, R extends { ok: true }>(form: {
    path: string
    view: string
    show: (page: P, values?: Values, errors?: FieldError[], status?: number) => object
    load: (req: Request, meetingId: string) => Promise<P>
    save: (req: Request, meetingId: string) => Promise<R | { ok: false; status: number; errors: FieldError[]; page: P }>
    saved: (result: R) => string
    hash?: string
  }) {
    const view = `${VIEWS}/${form.view}.njk`
    route.get(form.path, MANAGE, async (req, res) => {
      res.render(view, form.show(await form.load(req, requireUuid(req.params.meetingId))))
    })
    route.post(form.path, MANAGE, async (req, res) => {
      const meetingId = requireUuid(req.params.meetingId)
      const result = await form.save(req, meetingId)
      if (!result.ok)
        return res.status(result.status).render(view, form.show(result.page, formValues(req.body), result.errors, result.status))
      req.session.flash = { heading: form.saved(result) }
      res.redirect(`/board/meetings/${meetingId}${form.hash ?? ''}`)
    })
  }

  meetingForm({
    path: '/board/meetings/:meetingId/agenda/new',
    view: 'agenda-new',
    show: (page: Awaited<ReturnType<BoardService['agendaForm']>>, values: Values = {}, errors: FieldError[] = []) => ({
      ...page,
      pageTitle: 'Add an agenda item',
      values,
      errors,
      reviewItems: [
        { value: '', text: 'Not about a review' },
        ...page.reviews.map((r) => ({ value: r.id, text: r.name, selected: values.reviewId === r.id })),
      ],
    }),
    load: (req, meetingId) => board.agendaForm(req.actor!, meetingId, req.requestId),
    save: (req, meetingId) =>
      board.addAgendaItem(req.actor!, meetingId, { title: field(req.body, 'title'), reviewId: field(req.body, 'reviewId') }, req.requestId),
    saved: () => 'Agenda item added',
  })

  meetingForm({
    path: '/board/meetings/:meetingId/agenda/:itemId/minutes',
    view: 'minutes',
    show: (page: Awaited<ReturnType<BoardService['minutesForm']>>, values?: Values, errors: FieldError[] = [], status?: number) => ({
      ...page,
      pageTitle: `Minutes – ${page.item.title}`,
      minutes: values ? field(values, 'minutes') : (page.item.minutes ?? ''),
      errors,
      conflict: status === 409,
    }),
    load: (req, meetingId) => board.minutesForm(req.actor!, meetingId, requireUuid(req.params.itemId), req.requestId),
    save: (req, meetingId) =>
      board.saveMinutes(
        req.actor!,
        meetingId,
        requireUuid(req.params.itemId),
        { minutes: field(req.body, 'minutes'), version: version(req.body) },
        req.requestId,
      ),
    saved: () => 'Minutes saved',
  })

  meetingForm({
    path: '/board/meetings/:meetingId/actions/new',
    view: 'action-new',
    show: (page: Awaited<ReturnType<BoardService['actionForm']>>, values: Values = {}, errors: FieldError[] = []) => ({
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
    }),
    load: (req, meetingId) => board.actionForm(req.actor!, meetingId, req.requestId),
    save: (req, meetingId) =>
      board.addAction(
        req.actor!,
        meetingId,
        {
          text: field(req.body, 'text'),
          ownerUserId: field(req.body, 'ownerUserId'),
          ownerText: field(req.body, 'ownerText'),
          due: datePartsOf(req.body, 'due'),
          agendaItemId: field(req.body, 'agendaItemId'),
        },
        req.requestId,
      ),
    saved: (result) => `Action ${result.label} added`,
    hash: '#actions',
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
