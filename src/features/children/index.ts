/** The children feature's public face. */
export { linkedChildNames } from './children.queries.js'
