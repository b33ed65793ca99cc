/**
 * The one escaping helper, for the few places where HTML is made outside a template (an SVG
 * chart's text, a PDF's rich text). Pages are made by templates, which escape everything.
 */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
