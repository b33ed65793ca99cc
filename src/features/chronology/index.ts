/**
 * The chronology's public face: its module (for the composition root) and the service's type.
 * It reads other features through theirs (the case kernel's history, the criminal process).
 */
export { chronologyModule, type ChronologyModule } from './chronology.module.js'
export type { ChronologyService } from './chronology.service.js'
