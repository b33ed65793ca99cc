import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const ROOT = path.resolve(here, '../..')
export const TEMPLATE_PATH = path.join(ROOT, '.tmp/test-template.tar')
