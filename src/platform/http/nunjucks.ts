import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import { formatDate, formatDateTime } from './format.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const src = path.resolve(here, '../..')
const root = path.resolve(src, '..')

/**
 * The woff2 fonts GOV.UK Frontend's stylesheet asks for (their names carry a hash that changes
 * with its version), for the layout to preload: the text is then drawn once, in its font, rather
 * than in a fallback first and moved when the font arrives (a layout shift).
 */
export function govukFontFiles(css: string): string[] {
  return [...new Set([...css.matchAll(/url\(["']?(\/assets\/fonts\/[\w.-]+\.woff2)["']?\)/g)].map((m) => m[1]!))]
}

function readGovukFontFiles(): string[] {
  try {
    return govukFontFiles(readFileSync(path.join(root, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css'), 'utf8'))
  } catch {
    return []
  }
}

/** Templates: shared layout in src/views, each feature's own beside its code, then GOV.UK and MoJ macros. */
export function setUpNunjucks(app: Express, globals: Record<string, unknown>): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(src, 'views'),
      path.join(src, 'features'),
      path.join(src, 'platform'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, express: app, throwOnUndefined: false, noCache: false },
  )
  app.set('view engine', 'njk')
  for (const [key, value] of Object.entries(globals)) env.addGlobal(key, value)
  env.addGlobal('fontPreloads', readGovukFontFiles())
  // Nunjucks's own `trim` (used throughout GOV.UK's macros) trims with /^\s*|\s*$/g, which rescans
  // every run of spaces in the text it is given; String#trim removes the same characters (the
  // spec's WhiteSpace and LineTerminator, as \s) in one pass. Markup marked safe stays safe.
  env.addFilter('trim', (value: unknown) =>
    value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(String(value).trim()) : String(value).trim(),
  )
  env.addFilter('govukDate', formatDate)
  env.addFilter('govukDateTime', formatDateTime)
  // MoJ's timeline formats its dates with a `date` filter; ours always shows UK time, GOV.UK style.
  // MoJ timeline items pass their datetime's format: 'date' entries have no time of day.
  env.addFilter('date', (value: Date | string, format?: string) => (format === 'date' ? formatDate(value) : formatDateTime(value)))
  /** Turns [{ href, text }] field errors into a lookup for the errorMessage option of a macro. */
  env.addFilter('errorFor', (errors: { href: string; text: string }[] | undefined, field: string) => {
    const found = errors?.find((e) => e.href === `#${field}`)
    return found ? { text: found.text } : undefined
  })
  return env
}
