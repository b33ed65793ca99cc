import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditDetail } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { NotFoundError } from '../../platform/http/errors.js'
import { listReviewsFor } from '../reviews/index.js'
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

type Deps = { access: AccessGuard; now?: () => Date }
type Fail<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P }

/**
 * The board's meetings: agenda items (optionally about a review, linked to its report as at the
 * meeting's date), minutes per item, and numbered actions with their progress kept for good.
 * Reading is for board:read, changing for board:manage (both checked by the routes).
 */
export function boardService({ access, now = () => new Date() }: Deps) {
  const repo = boardRepository()
  const today = () => londonDate(now())
  const canManage = (user: CurrentUser) => canInPartnership(user, 'board:manage')

  /** The audit entry of a change to the board's records: `board:<action>`. */
  const record = (act: Act, action: string, recordId: string, detail?: AuditDetail) =>
    act.record({ action: `board:${action}`, recordType: 'board', recordId, ...(detail ? { detail } : {}) })

  /** The record, or a 404. */
  const found = async <T>(act: Act, record: Promise<T | undefined>): Promise<T> => (await record) ?? act.refuse(new NotFoundError())
  const meetingOf = (act: Act, meetingId: string) => found(act, repo.findMeeting(act.trx, meetingId))

  const present = (a: ActionRow, day: string) => ({ ...a, label: actionNumber(a.number), overdue: isOverdue(a, day) })

  async function meetingPage(act: Act, meetingId: string) {
    const meeting = await meetingOf(act, meetingId)
    const items = (await repo.agendaItems(act.trx, meetingId)).map((i) => ({
      ...i,
      reportLink: i.reviewId ? reviewReportLink(i.reviewId, meeting.meetingDate) : null,
    }))
    const day = today()
    const actions = (await repo.actionsOfMeeting(act.trx, meetingId)).map((a) => present(a, day))
    return { meeting, items, actions, canManage: canManage(act.user) }
  }

  async function agendaOptions(act: Act, meetingId: string) {
    const meeting = await meetingOf(act, meetingId)
    const reviewList = await listReviewsFor(act.trx, act.user.partnershipId, today())
    return { meeting, reviews: reviewList.map((r) => ({ id: r.id, name: r.name })) }
  }

  async function actionOptions(act: Act, meetingId: string) {
    const meeting = await meetingOf(act, meetingId)
    return { meeting, people: await repo.people(act.trx), items: await repo.agendaItems(act.trx, meetingId) }
  }

  async function minutesPage(act: Act, meetingId: string, itemId: string) {
    const meeting = await meetingOf(act, meetingId)
    const item = await found(
      act,
      repo.agendaItems(act.trx, meetingId).then((items) => items.find((i) => i.id === itemId)),
    )
    return { meeting, item }
  }

  async function actionPage(act: Act, actionId: string) {
    const action = await found(act, repo.findAction(act.trx, actionId))
    return { action: present(action, today()), updates: await repo.updates(act.trx, actionId), canManage: canManage(act.user) }
  }

  return {
    async list(user: CurrentUser, requestId: string) {
      return access.run(user, requestId, async (act) => ({ meetings: await repo.listMeetings(act.trx), canManage: canManage(user) }))
    },

    async createMeeting(
      user: CurrentUser,
      input: MeetingInput,
      requestId: string,
    ): Promise<{ ok: true; meetingId: string } | { ok: false; errors: FieldError[] }> {
      const checked = validateMeeting(input)
      if (!checked.ok) return checked
      return access.run(user, requestId, async (act) => {
        const meetingId = await repo.insertMeeting(act.trx, { partnershipId: user.partnershipId, ...checked.value, createdBy: user.id })
        await record(act, 'create-meeting', meetingId)
        return { ok: true as const, meetingId }
      })
    },

    async meeting(user: CurrentUser, meetingId: string, requestId: string) {
      return access.run(user, requestId, (act) => meetingPage(act, meetingId))
    },

    async agendaForm(user: CurrentUser, meetingId: string, requestId: string) {
      return access.run(user, requestId, (act) => agendaOptions(act, meetingId))
    },

    async addAgendaItem(
      user: CurrentUser,
      meetingId: string,
      input: AgendaInput,
      requestId: string,
    ): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof agendaOptions>>>> {
      return access.run(user, requestId, async (act) => {
        const options = await agendaOptions(act, meetingId)
        const checked = validateAgendaItem(
          input,
          options.reviews.map((r) => r.id),
        )
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: options }
        const itemId = await repo.insertAgendaItem(act.trx, { partnershipId: user.partnershipId, meetingId, ...checked.value })
        await record(act, 'add-agenda-item', meetingId, { itemId, reviewId: checked.value.reviewId })
        return { ok: true as const }
      })
    },

    async minutesForm(user: CurrentUser, meetingId: string, itemId: string, requestId: string) {
      return access.run(user, requestId, (act) => minutesPage(act, meetingId, itemId))
    },

    /** Saves an item's minutes; refused (the typed text kept) if someone saved them since the form was opened. */
    async saveMinutes(
      user: CurrentUser,
      meetingId: string,
      itemId: string,
      form: { minutes: string; version: number | null },
      requestId: string,
    ): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof minutesPage>>>> {
      return access.run(user, requestId, async (act) => {
        const page = await minutesPage(act, meetingId, itemId)
        const checked = validateMinutes(form.minutes)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const saved =
          form.version !== null &&
          (await repo.saveMinutes(act.trx, { id: itemId, version: form.version, minutes: checked.value, by: user.id, at: now() }))
        if (!saved) {
          return {
            ok: false as const,
            status: 409 as const,
            page,
            errors: [
              {
                href: '#minutes',
                text: 'Someone else saved the minutes of this item after you opened them. Your text is kept below: check what is saved now, then save again.',
              },
            ],
          }
        }
        await record(act, 'save-minutes', meetingId, { itemId })
        return { ok: true as const }
      })
    },

    async actionForm(user: CurrentUser, meetingId: string, requestId: string) {
      return access.run(user, requestId, (act) => actionOptions(act, meetingId))
    },

    async addAction(
      user: CurrentUser,
      meetingId: string,
      input: ActionInput,
      requestId: string,
    ): Promise<{ ok: true; label: string } | Fail<Awaited<ReturnType<typeof actionOptions>>>> {
      return access.run(user, requestId, async (act) => {
        const options = await actionOptions(act, meetingId)
        const checked = validateAction(input, { userIds: options.people.map((p) => p.id), agendaItemIds: options.items.map((i) => i.id) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: options }
        const number = await repo.nextActionNumber(act.trx, user.partnershipId)
        const actionId = await repo.insertAction(act.trx, {
          partnershipId: user.partnershipId,
          number,
          meetingId,
          ...checked.value,
          createdBy: user.id,
        })
        await record(act, 'add-action', actionId, { meetingId, number })
        return { ok: true as const, label: actionNumber(number) }
      })
    },

    /** Every action across the board's meetings, open ones by default, with overdue ones flagged. */
    async actionsLog(user: CurrentUser, openOnly: boolean, requestId: string) {
      return access.run(user, requestId, async (act) => {
        const day = today()
        const actions = (await repo.allActions(act.trx, openOnly)).map((a) => present(a, day))
        return { actions, openOnly, overdue: actions.filter((a) => a.overdue).length }
      })
    },

    async action(user: CurrentUser, actionId: string, requestId: string) {
      return access.run(user, requestId, (act) => actionPage(act, actionId))
    },

    /** A progress update: kept for good (append-only), with the status it set. */
    async addProgress(
      user: CurrentUser,
      actionId: string,
      form: ProgressInput & { version: number | null },
      requestId: string,
    ): Promise<{ ok: true } | Fail<Awaited<ReturnType<typeof actionPage>>>> {
      return access.run(user, requestId, async (act) => {
        const page = await actionPage(act, actionId)
        const checked = validateProgress(form)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const saved =
          form.version !== null &&
          (await repo.addUpdate(act.trx, {
            partnershipId: user.partnershipId,
            action: page.action,
            version: form.version,
            ...checked.value,
            by: user.id,
          }))
        if (!saved) {
          return {
            ok: false as const,
            status: 409 as const,
            page,
            errors: [
              {
                href: '#note',
                text: 'Someone else updated this action after you opened it. Your update is kept below: check the latest progress, then save again.',
              },
            ],
          }
        }
        await record(act, 'progress', actionId, { status: checked.value.status })
        return { ok: true as const }
      })
    },
  }
}
export type BoardService = ReturnType<typeof boardService>
