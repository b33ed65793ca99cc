/**
 * The SSD import's public face: its module (the administration page), and what the command line
 * needs (src/cli/import-ssd.ts): the refusals it reports and the choices it passes.
 */
export { ssdImportModule, type SsdImportModule } from './ssd-import.module.js'
export { ImportRefused, type MatchDecision, type Summary, type Reading } from './ssd-import.service.js'
export type { Selection } from './ssd-import.rules.js'
export { ExtractRefused } from './ssd.read.js'
