// Reads a vitest (jest-style) or Playwright JSON report and prints "passed failed".
// A test file that failed to load counts as one failure; a skipped test counts as neither.
import { readFileSync } from 'node:fs'
const [kind, file] = process.argv.slice(2)
const r = JSON.parse(readFileSync(file, 'utf8'))
if (kind === 'vitest') {
  const brokenFiles = r.testResults.filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed')).length
  console.log(r.numPassedTests, r.numFailedTests + brokenFiles)
} else {
  const s = r.stats
  console.log(s.expected, s.unexpected + s.flaky + (r.errors?.length ?? 0))
}
