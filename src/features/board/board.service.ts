import type { AccessGuard, Act } from '../../platform/access/authorise.js'
import { canInPartnership } from '../../platform/access/policy.js'
import type { AuditDetail } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { FieldError, FormResult as Result } from '../../platform/forms/forms.js'
import { directory } from '../../platform/organisation/directory.js'
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

/** A form of the board's: its page, the input checked against it, and the write (null when someone changed the record meanwhile). */
type Submission<P, V, R> = {
  load: (act: Act) => Promise<P>
  check: (page: P) => Result<V>
  write: (act: Act, value: V, page: P) => Promise<R | null>
  /** Shown (409, the typed text kept) when the write finds the record changed since the form was opened. */
  stale?: FieldError
}

/**
 * The board's meetings: agenda items (optionally about a review, linked to its report as at the
 * meeting's date), minutes per item, and numbered actions with their progress kept for good.
 * Reading is for board:read, changing for board:manage (both checked by the routes).
 */
export function boardService({ access, now = () => new Date() }: Deps) {
  const repo = boardRepository()
  const people = directory().people
  const today = () => londonDate(now())
  const canManage = (user: CurrentUser) => canInPartnership(user, 'board:manage')
  const saved = { ok: true as const }

  /** The audit entry of a change to the board's records: `board:<action>`. */
  const record = (act: Act, action: string, recordId: string, detail?: AuditDetail) =>
    act.record({ action: `board:${action}`, recordType: 'board', recordId, ...(detail ? { detail } : {}) })

  const meetingOf = async (act: Act, meetingId: string) => act.found(await repo.findMeeting(act.trx, meetingId))

  const present = (a: ActionRow, day: string) => ({ ...a, label: actionNumber(a.number), overdue: isOverdue(a, day) })

  /** Loads the form's page, checks the input (400 with the page), then writes (409 with the page when it was stale). */
  function submit<P, V, R>(user: CurrentUser, requestId: string, form: Submission<P, V, R>): Promise<R | Fail<P>> {
    return access.run(user, requestId, async (act) => {
      const page = await form.load(act)
      const checked = form.check(page)
      if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
      return (await form.write(act, checked.value, page)) ?? { ok: false as const, status: 409 as const, errors: [form.stale!], page }
    })
  }

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

  /** The action form's choices: the partnership's people as owners (the organisation tables have no row-level security) and the meeting's items. */
  async function actionOptions(act: Act, meetingId: string) {
    const meeting = await meetingOf(act, meetingId)
    return { meeting, people: await people(act.trx, act.user.partnershipId), items: await repo.agendaItems(act.trx, meetingId) }
  }

  async function minutesPage(act: Act, meetingId: string, itemId: string) {
    const meeting = await meetingOf(act, meetingId)
    const item = act.found((await repo.agendaItems(act.trx, meetingId)).find((i) => i.id === itemId))
    return { meeting, item }
  }

  async function actionPage(act: Act, actionId: string) {
    const action = act.found(await repo.findAction(act.trx, actionId))
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

    async addAgendaItem(user: CurrentUser, meetingId: string, input: AgendaInput, requestId: string) {
      return submit(user, requestId, {
        load: (act) => agendaOptions(act, meetingId),
        check: (page) =>
          validateAgendaItem(
            input,
            page.reviews.map((r) => r.id),
          ),
        write: async (act, value) => {
          const itemId = await repo.insertAgendaItem(act.trx, { partnershipId: user.partnershipId, meetingId, ...value })
          await record(act, 'add-agenda-item', meetingId, { itemId, reviewId: value.reviewId })
          return saved
        },
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
    ) {
      return submit(user, requestId, {
        load: (act) => minutesPage(act, meetingId, itemId),
        check: () => validateMinutes(form.minutes),
        write: async (act, minutes) => {
          if (
            form.version === null ||
            !(await repo.saveMinutes(act.trx, { id: itemId, version: form.version, minutes, by: user.id, at: now() }))
          )
            return null
          await record(act, 'save-minutes', meetingId, { itemId })
          return saved
        },
        stale: {
          href: '#minutes',
          text: 'Someone else saved the minutes of this item after you opened them. Your text is kept below: check what is saved now, then save again.',
        },
      })
    },

    async actionForm(user: CurrentUser, meetingId: string, requestId: string) {
      return access.run(user, requestId, (act) => actionOptions(act, meetingId))
    },

    async addAction(user: CurrentUser, meetingId: string, input: ActionInput, requestId: string) {
      return submit(user, requestId, {
        load: (act) => actionOptions(act, meetingId),
        check: (page) => validateAction(input, { userIds: page.people.map((p) => p.id), agendaItemIds: page.items.map((i) => i.id) }),
        write: async (act, value) => {
          const number = await repo.nextActionNumber(act.trx, user.partnershipId)
          const actionId = await repo.insertAction(act.trx, {
            partnershipId: user.partnershipId,
            number,
            meetingId,
            ...value,
            createdBy: user.id,
          })
          await record(act, 'add-action', actionId, { meetingId, number })
          return { ok: true as const, label: actionNumber(number) }
        },
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
    async addProgress(user: CurrentUser, actionId: string, form: ProgressInput & { version: number | null }, requestId: string) {
      return submit(user, requestId, {
        load: (act) => actionPage(act, actionId),
        check: () => validateProgress(form),
        write: async (act, value, page) => {
          const update = { partnershipId: user.partnershipId, action: page.action, ...value, by: user.id }
          if (form.version === null || !(await repo.addUpdate(act.trx, { ...update, version: form.version }))) return null
          await record(act, 'progress', actionId, { status: value.status })
          return saved
        },
        stale: {
          href: '#note',
          text: 'Someone else updated this action after you opened it. Your update is kept below: check the latest progress, then save again.',
        },
      })
    },
  }
}
export type BoardService = ReturnType<typeof boardService>
