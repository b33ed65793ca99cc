import { z } from 'zod'
import { ALL_ROLES } from '../../platform/access/roles.js'
import { BadRequestError } from '../../platform/http/errors.js'
import { parseForm, text, type FieldError } from '../../platform/forms/forms.js'
import { checkDate } from '../../platform/forms/dates.js'

/** The training models a practitioner can be trained in. Mirrored by the CHECK constraint on training_record.model. */
export const TRAINING_MODELS = [
  { value: 'AIM2', label: 'AIM2' },
  { value: 'AIM3', label: 'AIM3' },
  { value: 'AIM_UNDER_12S', label: 'AIM Under 12s' },
  { value: 'BROOK_TRAFFIC_LIGHT', label: 'Brook Traffic Light Tool' },
  { value: 'SIGNS_OF_SAFETY', label: 'Signs of Safety' },
  { value: 'GOOD_LIVES', label: 'Good Lives Model' },
  { value: 'OTHER', label: 'Other' },
] as const
export type TrainingModel = (typeof TRAINING_MODELS)[number]['value']
const MODEL_VALUES = TRAINING_MODELS.map((m) => m.value) as [TrainingModel, ...TrainingModel[]]

/** Checkboxes send nothing, one string, or several: always an array here. */
const ticked = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item))

const rolesField = ticked(z.enum(ALL_ROLES, { error: 'Select roles from the list' })).refine((r) => r.length > 0, {
  message: 'Select at least one role',
})
const teamsField = ticked(z.string().max(64, 'Select teams from the list'))

export const createUserSchema = z.object({
  displayName: z.preprocess(
    text,
    z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Full name must be 200 characters or fewer'),
  ),
  email: z.preprocess(
    text,
    z
      .string()
      .trim()
      .min(1, 'Enter the person’s work email address')
      .max(320, 'Email address must be 320 characters or fewer')
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address in the correct format, like name@example.org'),
  ),
  agency: z.preprocess(text, z.string().min(1, 'Select the person’s organisation').max(64, 'Select the person’s organisation')),
  roles: rolesField,
  teams: teamsField,
})
export type CreateUserForm = z.infer<typeof createUserSchema>

/** The create-user form's fields, top to bottom: the error summary follows this order. */
export const CREATE_USER_FIELDS = ['displayName', 'email', 'agency', 'roles', 'teams']

const rolesSchema = z.object({ roles: rolesField, teams: teamsField })

/**
 * The roles-and-teams form. The hidden `version` is not something the person can put
 * right, so a missing or mangled one is a bad request rather than a field error.
 */
export function parseRolesForm(body: unknown) {
  const raw = (body ?? {}) as Record<string, unknown>
  const version = text(raw.version)
  if (!/^\d{1,9}$/.test(version)) throw new BadRequestError('The form was incomplete. Go back, reload the page and try again.')
  const parsed = parseForm(rolesSchema, body)
  return parsed.ok ? { ok: true as const, value: { ...parsed.value, version: Number(version) } } : parsed
}

/** Puts field errors in the order the fields appear on the page. */
export function inFormOrder(errors: FieldError[], fields: string[]): FieldError[] {
  const rank = (e: FieldError) => {
    const i = fields.findIndex((f) => e.href === `#${f}` || e.href.startsWith(`#${f}-`))
    return i === -1 ? fields.length : i
  }
  return [...errors].sort((a, b) => rank(a) - rank(b))
}

/** Today's date in the UK, as YYYY-MM-DD. */
export function todayInUk(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

const part = z.preprocess((v) => text(v).trim(), z.string().max(10))

/**
 * The training form. Every field is checked at once, so the error summary lists all the
 * problems; date errors link to the day field of their date input.
 */
export const trainingSchema = z
  .object({
    model: z.preprocess(text, z.string()),
    'completed-day': part,
    'completed-month': part,
    'completed-year': part,
    'expires-day': part,
    'expires-month': part,
    'expires-year': part,
  })
  .transform((form, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] })
    const model = MODEL_VALUES.find((m) => m === form.model)
    if (!model) fail('model', 'Select the training model')
    const completed = checkDate(
      { day: form['completed-day'], month: form['completed-month'], year: form['completed-year'] },
      'Date the training was completed',
      { required: true },
    )
    const expires = checkDate({ day: form['expires-day'], month: form['expires-month'], year: form['expires-year'] }, 'Expiry date', {
      required: false,
    })
    const completedOn = completed.ok ? completed.value : null
    const expiresOn = expires.ok ? expires.value : null
    if (!completed.ok) fail('completed-day', completed.message)
    else if (completedOn && completedOn > todayInUk()) fail('completed-day', 'Date the training was completed must be today or in the past')
    if (!expires.ok) fail('expires-day', expires.message)
    else if (completedOn && expiresOn && expiresOn <= completedOn) {
      fail('expires-day', 'Expiry date must be after the date the training was completed')
    }
    if (!model || !completedOn || ctx.issues.length) return z.NEVER
    return { model, completedOn, expiresOn }
  })
export type TrainingForm = z.infer<typeof trainingSchema>
