import { describe, expect, it } from 'vitest'
import { utcHour, volumeCheckEvery } from './privacy-alerts.js'

describe('privacy alerts: how often the hour’s volume is counted', () => {
  it('counts on every Nth read, N a fifth of the threshold, from 1 to 10 (an alert at most N - 1 reads late)', () => {
    expect(volumeCheckEvery(50)).toBe(10)
    expect(volumeCheckEvery(500)).toBe(10)
    expect(volumeCheckEvery(20)).toBe(4)
    expect(volumeCheckEvery(3)).toBe(1)
    expect(volumeCheckEvery(1)).toBe(1)
  })

  it('names the UTC hour in the volume alert’s key', () => {
    expect(utcHour(new Date('2026-03-29T00:30:00+01:00'))).toBe('2026-03-28T23')
  })
})
