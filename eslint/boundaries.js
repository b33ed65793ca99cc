import path from 'node:path'

/**
 * The project's import boundaries (docs/architecture.md, ADR 0007), as one ESLint rule:
 * - the platform imports no feature, and nothing from demo/, cli/ or the composition root (only config.ts);
 * - a feature (and anything outside features/) reaches another feature only through its index.ts;
 * - a repository imports nothing of another feature but types (through its index): it is SQL for
 *   its own tables, and never calls another feature's data access.
 * Paths are resolved against the importing file, so `../x/y.js` and `../../features/x/y.js` are the same.
 */
const SRC = `${path.sep}src${path.sep}`

function layerOf(file) {
  const i = file.lastIndexOf(SRC)
  if (i < 0) return null
  const rel = file.slice(i + SRC.length).split(path.sep)
  // The typed configuration is read by the platform as well as the app.
  if (rel[0] === 'platform' || (rel.length === 1 && /^config\.(ts|js)$/.test(rel[0]))) return { kind: 'platform', rel }
  if (rel[0] === 'features' && rel.length > 2) return { kind: 'feature', feature: rel[1], rel }
  if (rel[0] === 'features') return { kind: 'features-root', rel }
  return { kind: 'app', rel }
}

const isIndex = (rel) => rel.length === 3 && /^index\.(ts|js)$/.test(rel[2])

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the platform free of features, and features talking through their index.ts' },
    schema: [],
    messages: {
      platformImportsFeature:
        'The platform imports no feature or app code ({{target}}): pass what it needs in, or move the code into the feature.',
      notThroughIndex: 'Import the {{feature}} feature through its index.ts, not {{target}}.',
      repositoryImportsFeature:
        'A repository imports only types from another feature ({{target}}): read another feature’s data through that feature’s index.ts from a service.',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename()
    const from = layerOf(file)
    if (!from) return {}
    const isRepository = /\.repository\.ts$/.test(file)
    const typeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.type === 'ImportDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'))
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return
      const target = path.resolve(path.dirname(file), source.value)
      const to = layerOf(target)
      if (!to) return
      const shown = source.value
      if (from.kind === 'platform') {
        if (to.kind !== 'platform') context.report({ node, messageId: 'platformImportsFeature', data: { target: shown } })
        return
      }
      if (to.kind !== 'feature') return
      if (from.kind === 'feature' && from.feature === to.feature) return
      if (isRepository && from.kind === 'feature' && !(typeOnly(node) && isIndex(to.rel))) {
        context.report({
          node,
          messageId: isIndex(to.rel) ? 'repositoryImportsFeature' : 'notThroughIndex',
          data: { feature: to.feature, target: shown },
        })
        return
      }
      if (!isIndex(to.rel)) context.report({ node, messageId: 'notThroughIndex', data: { feature: to.feature, target: shown } })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    }
  },
}

export default { rules: { boundaries } }
