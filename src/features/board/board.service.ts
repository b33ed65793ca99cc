import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { reviewsRepository } from '../reviews/reviews.repository.js'
import { boardRepository, type ActionRow } from './board.repository.js'
import {
  actionNumber,
  isOverdue,
  reviewReportLink,
  validateAction,
  validateAgendaItem,
  validateMeeting,
  validateMinutes,
  validateProgress,
  type ActionInput,
  type AgendaInput,
  type MeetingInput,
  type ProgressInput,
} from './board.rules.js'

type Deps = { db: Db; audit: AuditRepository; now?: () => Date }
type Fail<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P }

/**
 * The board's meetings: agenda items (optionally about a review, linked to its report as at the
 * meeting's date), minutes per item, and numbered actions with their progress kept for good.
 * Reading is for board:read, changing for board:manage (both checked by the routes).
 */
export function boardService({ db, audit, now = () => new Date() }: Deps) {
  const repo = boardRepository()
  const reviews = reviewsRepository()
  const scope = (user: CurrentUser) => ({ partnershipId: user.partnershipId })
  const today = () => londonDate(now())
  const canManage = (user: CurrentUser) => canInPartnership(user, 'board:manage')

  async function record(trx: Trx, user: CurrentUser, action: string, recordId: string, requestId: string, detail: Record<string, string | number | boolean | null> = {}) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `board:${action}`, recordType: 'board', recordId, outcome: 'ALLOWED', requestId, detail })
  }

  async function meetingOf(trx: Trx, meetingId: string) {
    const meeting = await repo.findMeeting(trx, meetingId)
    if (!meeting) throw new NotFoundError()
    return meeting
  }

  const present = (a: ActionRow, day: string) => ({ ...a, label: actionNumber(a.number), overdue: isOverdue(a, day) })

  async function meetingPage(trx: Trx, user: CurrentUser, meetingId: string) {
    const meeting = await meetingOf(trx, meetingId)
    const items = (await repo.agendaItems(trx, meetingId)).map((i) => ({ ...i, reportLink: i.reviewId ? reviewReportLink(i.reviewId, meeting.meetingDate) : null }))
    const day = today()
    const actions = (await repo.actionsOfMeeting(trx, meetingId)).map((a) => present(a, day))
    return { meeting, items, actions, canManage: canManage(user) }
  }

  async function agendaOptions(trx: Trx, user: CurrentUser, meetingId: string) {
    const meeting = await meetingOf(trx, meetingId)
    const reviewList = await reviews.listReviews(trx, user.partnershipId, today())
    return { meeting, reviews: reviewList.map((r) => ({ id: r.id, name: r.name })) }
  }

  async function actionOptions(trx: Trx, meetingId: string) {
    const meeting = await meetingOf(trx, meetingId)
    return { meeting, people: await repo.people(trx), items: await repo.agendaItems(trx, meetingId) }
  }

  async function minutesPage(trx: Trx, meetingId: string, itemId: string) {
    const meeting = await meetingOf(trx, meetingId)
    const item = (await repo.agendaItems(trx, meetingId)).find((i) => i.id === itemId)
    if (!item) throw new NotFoundError()
    return { meeting, item }
  }

  async function actionPage(trx: Trx, user: CurrentUser, actionId: string) {
    const action = await repo.findAction(trx, actionId)
    if (!action) throw new NotFoundError()
    return { action: present(action, today()), updates: await repo.updates(trx, actionId), canManage: canManage(user) }
  }

  return {
    async list(user: CurrentUser) {
      return transaction(db, scope(user), async (trx) => ({ meetings: await repo.listMeetings(trx), canManage: canManage(user) }))
    },

    async createMeeting(user: CurrentUser, input: MeetingInput, requestId: string): Promise<{ ok: true; meetingId: string } | { ok: false; errors: FieldError[] }> {
      const checked = validateMeeting(input)
      if (!checked.ok) return checked
      return transaction(db, scope(user), async (trx) => {
        const meetingId = await repo.insertMeeting(trx, { partnershipId: user.partnershipId, ...checked.value, createdBy: user.id })
        await record(trx, user, 'create-meeting', meetingId, requestId)
        return { ok: true as const, meetingId }
      })
    },

    async meeting(user: CurrentUser, meetingId: string) {
      return transaction(db, scope(user), (trx) => meetingPage(trx, user, meetingId))
    },

    async agendaForm(user: CurrentUser, meetingId: string) {
      return transaction(db, scope(user), (trx) => agendaOptions(trx, user, meetingId))
    },

    async addAgendaItem(user: CurrentUser, meetingId: string, input: AgendaInput, requestId: string): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof agendaOptions>>>> {
      return transaction(db, scope(user), async (trx) => {
        const options = await agendaOptions(trx, user, meetingId)
        const checked = validateAgendaItem(input, options.reviews.map((r) => r.id))
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: options }
        const itemId = await repo.insertAgendaItem(trx, { partnershipId: user.partnershipId, meetingId, ...checked.value })
        await record(trx, user, 'add-agenda-item', meetingId, requestId, { itemId, reviewId: checked.value.reviewId })
        return { ok: true as const }
      })
    },

    async minutesForm(user: CurrentUser, meetingId: string, itemId: string) {
      return transaction(db, scope(user), (trx) => minutesPage(trx, meetingId, itemId))
    },

    /** Saves an item's minutes; refused (the typed text kept) if someone saved them since the form was opened. */
    async saveMinutes(user: CurrentUser, meetingId: string, itemId: string, form: { minutes: string; version: number | null }, requestId: string): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof minutesPage>>>> {
      return transaction(db, scope(user), async (trx) => {
        const page = await minutesPage(trx, meetingId, itemId)
        const checked = validateMinutes(form.minutes)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const saved = form.version !== null && (await repo.saveMinutes(trx, { id: itemId, version: form.version, minutes: checked.value, by: user.id, at: now() }))
        if (!saved) {
          return { ok: false as const, status: 409 as const, page, errors: [{ href: '#minutes', text: 'Someone else saved the minutes of this item after you opened them. Your text is kept below: check what is saved now, then save again.' }] }
        }
        await record(trx, user, 'save-minutes', meetingId, requestId, { itemId })
        return { ok: true as const }
      })
    },

    async actionForm(user: CurrentUser, meetingId: string) {
      return transaction(db, scope(user), (trx) => actionOptions(trx, meetingId))
    },

    async addAction(user: CurrentUser, meetingId: string, input: ActionInput, requestId: string): Promise<{ ok: true; label: string } | Fail<Awaited<ReturnType<typeof actionOptions>>>> {
      return transaction(db, scope(user), async (trx) => {
        const options = await actionOptions(trx, meetingId)
        const checked = validateAction(input, { userIds: options.people.map((p) => p.id), agendaItemIds: options.items.map((i) => i.id) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: options }
        const number = await repo.nextActionNumber(trx, user.partnershipId)
        const actionId = await repo.insertAction(trx, { partnershipId: user.partnershipId, number, meetingId, ...checked.value, createdBy: user.id })
        await record(trx, user, 'add-action', actionId, requestId, { meetingId, number })
        return { ok: true as const, label: actionNumber(number) }
      })
    },

    /** Every action across the board's meetings, open ones by default, with overdue ones flagged. */
    async actionsLog(user: CurrentUser, openOnly: boolean) {
      return transaction(db, scope(user), async (trx) => {
        const day = today()
        const actions = (await repo.allActions(trx, openOnly)).map((a) => present(a, day))
        return { actions, openOnly, overdue: actions.filter((a) => a.overdue).length }
      })
    },

    async action(user: CurrentUser, actionId: string) {
      return transaction(db, scope(user), (trx) => actionPage(trx, user, actionId))
    },

    /** A progress update: kept for good (append-only), with the status it set. */
    async addProgress(user: CurrentUser, actionId: string, form: ProgressInput & { version: number | null }, requestId: string): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof actionPage>>>> {
      return transaction(db, scope(user), async (trx) => {
        const page = await actionPage(trx, user, actionId)
        const checked = validateProgress(form)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const saved = form.version !== null && (await repo.addUpdate(trx, { partnershipId: user.partnershipId, action: page.action, version: form.version, ...checked.value, by: user.id }))
        if (!saved) {
          return { ok: false as const, status: 409 as const, page, errors: [{ href: '#note', text: 'Someone else updated this action after you opened it. Your update is kept below: check the latest progress, then save again.' }] }
        }
        await record(trx, user, 'progress', actionId, requestId, { status: checked.value.status })
        return { ok: true as const }
      })
    },
  }
}
export type BoardService = ReturnType<typeof boardService>
