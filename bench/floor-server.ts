/**
 * The floor: the least a page on this machine can cost. A minimal Express route that runs one
 * indexed query (a case's history, by the case_event index) and renders one Nunjucks template
 * (the TechEmpower "fortunes" shape). The page benchmarks report the app's figures as a ratio
 * of this server's, measured in the same run, on the same database.
 *
 *   DATABASE_URL=postgres://... PORT=3291 npx tsx bench/floor-server.ts
 */
import express from 'express'
import nunjucks from 'nunjucks'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.FLOOR_POOL ?? 10) })
const env = new nunjucks.Environment(undefined, { autoescape: true })
const page = nunjucks.compile(
  `<!doctype html><html lang="en"><head><title>Case history</title></head><body><main>
<h1>Case history</h1>
<table><thead><tr><th>When</th><th>Action</th><th>From</th><th>To</th></tr></thead><tbody>
{% for e in events %}<tr><td>{{ e.occurred_at.toISOString() }}</td><td>{{ e.action }}</td><td>{{ e.from_status }}</td><td>{{ e.to_status }}</td></tr>
{% endfor %}</tbody></table></main></body></html>`,
  env,
)

const app = express()
app.disable('x-powered-by')
app.get('/health', (_req, res) => {
  res.json({ status: 'UP' })
})
app.get('/floor/cases/:caseId', async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT action, from_status, to_status, occurred_at FROM case_event WHERE case_id = $1 ORDER BY id', [
      req.params.caseId,
    ])
    res.type('html').send(page.render({ events: rows }))
  } catch (err) {
    next(err)
  }
})
const server = app.listen(Number(process.env.PORT ?? 3291), '127.0.0.1')
process.on('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)))
  server.closeIdleConnections()
})
