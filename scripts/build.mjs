#!/usr/bin/env node
/**
 * Builds what `npm start` runs: every TypeScript file of src/ (tests left out) transpiled to
 * JavaScript in dist/ with the same layout, and the files the code reads at run time copied
 * beside it (templates, SQL migrations, data files). Type checking is `npm run typecheck`'s
 * job, so the build takes about a second. `tsx` stays for development, the CLI and scripts.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const out = path.join(root, 'dist')

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true })
  const files = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])))
  return files.flat()
}

const files = await walk(src)
const isTest = (f) => /\.test\.ts$/.test(f)
const code = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !isTest(f))
const assets = files.filter((f) => !f.endsWith('.ts'))

await rm(out, { recursive: true, force: true })
await build({
  entryPoints: code,
  outdir: out,
  outbase: src,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  supported: { 'import-attributes': true },
  sourcemap: 'linked',
  logLevel: 'warning',
})
for (const file of assets) {
  const to = path.join(out, path.relative(src, file))
  await mkdir(path.dirname(to), { recursive: true })
  await cp(file, to)
}
console.log(`Built ${code.length} modules and copied ${assets.length} files to dist/`)
