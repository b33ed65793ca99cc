/** The home feature's public face: where each role lands, and the navigation. */
export { landingFor } from './landing.rules.js'
export { navigationFor } from './navigation.js'
export { homeRoutes } from './home.routes.js'
