/** The home feature's public face: where each role lands, the navigation, and its pages. */
export { landingFor } from './landing.rules.js'
export { navigationFor } from './navigation.js'
export { homeRoutes } from './home.routes.js'
