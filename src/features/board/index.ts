/** The board feature's public face: its module (meetings, agenda items linked to reviews' reports, minutes, numbered actions). */
export { boardModule, type BoardModule } from './board.module.js'
