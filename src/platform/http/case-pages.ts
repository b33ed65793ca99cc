import type { Request, RequestHandler } from 'express'
import type { CurrentUser } from '../auth/current-user.js'
import { formValues, type FieldError } from '../forms/forms.js'
import { requireUuid } from './errors.js'
import type { Permission, routesFor } from './routes.js'

/**
 * A case's pages and their forms, one way on every page: a GET shows the page; a POST that is not
 * done shows its page again (with the status the service gave, 400 unless it says otherwise), and
 * one that is done says so (a flash) and goes on. It uses only platform code: its place is
 * src/platform/http, for every feature's pages; it is here, exported by the meetings feature's
 * index, until the platform has it.
 */

/** A form's page again, with what to put right: 400, or 409 when someone else changed the record first (`conflict`). */
export type PageFailure<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P; conflict?: boolean }
/** A form saved, or its page again. */
export type PageOutcome<P> = { ok: true } | PageFailure<P>

/** The form's page again, with what to put right. */
export const invalid = <P>(errors: FieldError[], page: P): PageFailure<P> => ({ ok: false, status: 400, errors, page })

/** Someone else saved first: the page again (what was typed is kept), saying so. */
export const stale = <P>(page: P, text: string): PageFailure<P> => ({
  ok: false,
  status: 409,
  conflict: true,
  page,
  errors: [{ href: '#conflict', text }],
})

export type Flash = { heading: string; text?: string }
/** A command or read on the case in the URL, by the person signed in; `req` for anything else the route carries. */
type OnCase<T> = (user: CurrentUser, caseId: string, requestId: string, req: Request) => Promise<T>

/** A page of the case in the URL: `load` reads it (the service checks and audits access), `present` makes what `view` shows. */
export const casePage =
  <P>(load: OnCase<P>, view: string, present: (page: P) => object): RequestHandler =>
  async (req, res) =>
    res.render(view, present(await load(req.actor!, requireUuid(req.params.caseId), req.requestId, req)))

type Done = { ok: true }
type NotDone = { ok: false; status?: number }

/**
 * A form's POST on the case in the URL: `save` runs the command; not done → `again` gives its
 * page (the view, and what it shows); done → `done` gives the flash and the page to go to.
 */
export const formPost =
  <R extends Done | NotDone>(
    save: OnCase<R>,
    again: (failed: Extract<R, NotDone>, req: Request) => [view: string, context: object],
    done: (saved: Extract<R, Done>, caseId: string) => [flash: Flash, next: string],
  ): RequestHandler =>
  async (req, res) => {
    const caseId = requireUuid(req.params.caseId)
    const result = await save(req.actor!, caseId, req.requestId, req)
    if (!result.ok) {
      const failed = result as Extract<R, NotDone>
      const [view, context] = again(failed, req)
      return res.status(failed.status ?? 400).render(view, context)
    }
    const [flash, next] = done(result as Extract<R, Done>, caseId)
    req.session.flash = flash
    res.redirect(next)
  }

/** A command that is done or refused, never a form shown again: the flash, and the page to go to. */
export const commandPost = (run: OnCase<unknown>, done: (caseId: string) => [flash: Flash, next: string]): RequestHandler =>
  formPost<Done>(
    async (...args) => {
      await run(...args)
      return { ok: true }
    },
    (failed: never) => failed, // done or refused: never shown again
    (_, caseId) => done(caseId),
  )

/**
 * A form page of the case in the URL, at one path and with one view: GET shows it (`show` loads
 * what it offers); POST saves it (`save`) and goes on (`done`: the flash and the next page), or
 * shows the form again with what was typed and what to put right.
 */
export function formPage<P, R extends Done | PageFailure<P>>(
  route: ReturnType<typeof routesFor>,
  permission: Permission,
  path: string,
  view: string,
  present: (page: P, values?: Record<string, string | string[]>, errors?: FieldError[]) => object,
  form: { show: OnCase<P>; save: OnCase<R>; done: (saved: Extract<R, Done>, caseId: string) => [flash: Flash, next: string] },
): void {
  route.get(path, permission, casePage(form.show, view, present))
  route.post(
    path,
    permission,
    formPost(form.save, (failed, req) => [view, present(failed.page, formValues(req.body), failed.errors)], form.done),
  )
}
