import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { type Express } from 'express'
import compression from 'compression'
import { pinoHttp } from 'pino-http'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import type { Services } from './composition.js'
import { authRoutes } from './platform/auth/auth.routes.js'
import { currentUser, sessionMiddleware } from './platform/auth/session.js'
import { errorHandler, notFound } from './platform/http/error-handler.js'
import { csrfProtection } from './platform/http/csrf.js'
import { pathOnly } from './platform/http/logger.js'
import { setUpNunjucks } from './platform/http/nunjucks.js'
import { RouteRegistry } from './platform/http/routes.js'
import { noStore, permissionsPolicy, requestId, securityHeaders } from './platform/http/security.js'
import { healthRoutes } from './platform/http/health.routes.js'
import { homeRoutes, navigationFor } from './features/home/index.js'
import { DEMO_PASSWORD } from './demo/demo-data.js'
import { dropNulCharacters, parseQueryWithoutNul } from './platform/http/nul.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')

export type App = { app: Express; registry: RouteRegistry }

/** Middleware in a fixed order, one concern each; then the routers; then 404 and errors. */
export function createApp(config: Config, services: Services, logger: Logger): App {
  const app = express()
  const registry = new RouteRegistry((req, route) =>
    services.accessLog.recordRouteDenied(req.actor!, route.permission.action, `${route.method.toUpperCase()} ${route.path}`, req.requestId),
  )
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy ? 1 : false)
  app.set('query parser', parseQueryWithoutNul)

  app.use(requestId())
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as express.Request).requestId,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathOnly(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (req) => ({ userId: (req as express.Request).actor?.id }),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') },
    }),
  )
  app.use(permissionsPolicy())
  // gzip or brotli (as the browser accepts) for text: pages, JSON, CSS, JavaScript, CSV; PDFs,
  // Office files and fonts are compressed already and pass through. Every download is sent whole.
  app.use(compression())
  app.use(healthRoutes(registry, services.health, { detailsToken: config.healthDetailsToken }))
  app.use(securityHeaders({ secure: config.secureCookies }))

  const assets = express.Router()
  const staticOptions = { maxAge: config.env === 'production' ? '7d' : 0, index: false, fallthrough: true }
  assets.use('/stylesheets', express.static(path.join(root, 'public/stylesheets'), staticOptions))
  assets.use('/javascripts', express.static(path.join(root, 'public/javascripts'), staticOptions))
  assets.use('/stylesheets', express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk'), staticOptions))
  assets.use('/javascripts', express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk'), staticOptions))
  assets.use('/stylesheets', express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj'), staticOptions))
  assets.use('/javascripts', express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj'), staticOptions))
  assets.use('/moj', express.static(path.join(root, 'node_modules/@ministryofjustice/frontend/moj/assets'), staticOptions))
  assets.use(express.static(path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets'), staticOptions))
  app.use('/assets', assets)

  app.use(noStore())
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }))
  app.use(dropNulCharacters())

  const sessions = sessionMiddleware({
    db: services.db,
    secret: config.sessionSecret,
    secure: config.secureCookies,
    limits: config.session,
  })
  // express-session saves a changed session as the response ends and sends the response even
  // when the save fails, then passes the error on: by then the request has left the middleware
  // stack, so the error would reach Express's last-resort handler, which prints it raw and
  // destroys the socket (a client could lose the answer to a write that was saved). Log it instead.
  app.use((req, res, next) =>
    sessions.handler(req, res, (err?: unknown) => {
      if (err && res.headersSent) {
        logger.warn(
          {
            requestId: req.requestId,
            path: pathOnly(req.originalUrl),
            err: { message: (err as Error).message, code: (err as { code?: string }).code },
          },
          'session not saved after the response',
        )
        return
      }
      next(err)
    }),
  )

  const nunjucksEnv = setUpNunjucks(app, {
    demoMode: config.demoMode,
    demoPassword: DEMO_PASSWORD,
    lateEntryDays: config.lateEntryReasonAfterDays,
  })

  const { csrfProtection: checkCsrf, pageToken } = csrfProtection({ mayUpload: (req) => registry.mayUpload(req) })
  app.use(currentUser(services.auth, config.session))
  app.use(checkCsrf)
  app.use((req, res, next) => {
    const newToken = !req.session.csrfToken
    res.locals.csrfToken = pageToken(req)
    res.locals.navigation = navigationFor(req.actor, req.path)
    if (req.session.flash) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    // A new visitor's security token is no use unless the session holding it is stored: store it
    // before the page is drawn, so a database that cannot store it gives a 503, not a form that
    // can never be sent. (express-session does not save it a second time at the end.)
    if (newToken && req.method === 'GET') return req.session.save((err) => next(err))
    next()
  })

  app.use(authRoutes(registry, { auth: services.auth, oidcEnabled: !!services.oidc, oidcButtonText: config.oidc?.buttonText ?? '' }))
  if (services.oidc) app.use(services.oidc.routes(registry))
  app.use(homeRoutes(registry))
  for (const feature of Object.values(services.features)) app.use(feature.routes(registry))

  app.use(notFound())
  app.use(errorHandler(logger))
  void nunjucksEnv
  return { app, registry }
}
