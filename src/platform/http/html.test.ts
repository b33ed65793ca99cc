import { describe, expect, it } from 'vitest'
import { escapeHtml } from './html.js'

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes, and nothing else', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;')
    expect(escapeHtml('Ashley O’Neil – café')).toBe('Ashley O’Neil – café')
  })
})
