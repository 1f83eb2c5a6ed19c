// Bundles the CLI (generators/cli.ts and everything it imports, yeoman included) into dist/bundle/
// with esbuild: one ESM entry plus chunks loaded on demand (help, refresh, the app generator).
// Node 20 loads a few big files much faster than ~1,270 small ESM modules (no per-file resolution,
// stat, compile and link). tsc's dist/ stays as it is: the tests and the e2e harness import it, and
// bin/ falls back to it when there is no bundle. Templates stay files (templates/), prettier stays
// an installed dependency (it is already a bundle and loads its language plugins lazily).
//
// What else happens here, each checked so that a dependency update fails the build instead of
// producing a bundle that breaks at run time:
// - three dependency files read their own package.json at load time, relative to a path the bundle
//   no longer has: the values are inlined (PATCHES; a patch that no longer matches is an error);
// - yeoman-environment's index loads environment-full (generator lookup, commander, …): the CLI
//   gets EnvironmentBase alone;
// - modules that every run loads but few runs use are replaced by shims that load them on first
//   use (LAZY_SHIMS, see scripts/bundle-shims/; a shim missing an export is an esbuild error).
// BUNDLE_META=file writes esbuild's metafile (what each chunk holds) for size work.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');
const pkgJson = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));

const PATCHES = [
  {
    file: 'node_modules/yeoman-generator/dist/generator.js',
    from: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))",
    to: () => `(${JSON.stringify(pkgJson('yeoman-generator'))})`,
  },
  {
    file: 'node_modules/yeoman-environment/dist/environment-base.js',
    from: "require('../package.json').version",
    to: () => JSON.stringify(pkgJson('yeoman-environment').version),
  },
  {
    file: 'node_modules/yeoman-environment/dist/module-lookup.js',
    from: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString()).name",
    to: () => JSON.stringify(pkgJson('yeoman-environment').name),
  },
];

/**
 * Modules replaced by a shim that loads the real one on first use (each shim's header says why).
 * `from`: only where imported from that folder. The shims themselves import the real modules.
 */
const SHIMS = join(ROOT, 'scripts', 'bundle-shims');
const LAZY_SHIMS = [
  { name: 'fly-import', shim: join(SHIMS, 'fly-import.js') },
  { name: 'inquirer', shim: join(SHIMS, 'inquirer.js') },
  { name: '@inquirer/core', shim: join(SHIMS, 'inquirer-core.js'), from: join(ROOT, 'node_modules/@yeoman/adapter/') },
  { name: 'latest-version', shim: join(SHIMS, 'latest-version.js') },
  { name: 'read-package-up', shim: join(SHIMS, 'read-package-up.js') },
  { name: 'execa', shim: join(SHIMS, 'execa.js') },
];

const patchPlugin = {
  name: 'cia-patches',
  setup(b) {
    const applied = new Set();
    for (const patch of PATCHES) {
      const path = join(ROOT, patch.file);
      b.onLoad({ filter: new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, () => {
        const source = readFileSync(path, 'utf8');
        if (!source.includes(patch.from)) throw new Error(`bundle patch no longer matches ${patch.file}: ${patch.from}`);
        applied.add(patch.file);
        return { contents: source.replace(patch.from, patch.to()), loader: 'js' };
      });
    }
    // The package's `exports` do not expose environment-base.js on its own; a bundler can.
    b.onResolve({ filter: /^yeoman-environment$/ }, (args) =>
      args.importer.startsWith(join(ROOT, 'generators')) ? { path: 'yeoman-environment-base', namespace: 'cia' } : undefined,
    );
    b.onLoad({ filter: /^yeoman-environment-base$/, namespace: 'cia' }, () => ({
      contents: `export { default as EnvironmentBase } from ${JSON.stringify(join(ROOT, 'node_modules/yeoman-environment/dist/environment-base.js'))};`,
      resolveDir: ROOT,
      loader: 'js',
    }));
    for (const { name, shim, from } of LAZY_SHIMS) {
      const filter = new RegExp(`^${name.replace(/[/]/g, '\\/')}$`);
      b.onResolve({ filter }, (args) =>
        args.importer === shim || (from && !args.importer.startsWith(from)) ? undefined : { path: shim },
      );
    }
    b.onEnd((result) => {
      if (result.errors.length > 0) return;
      const missing = PATCHES.filter((p) => !applied.has(p.file)).map((p) => p.file);
      if (missing.length > 0) throw new Error(`bundle patches not applied (file no longer bundled?): ${missing.join(', ')}`);
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'generators/cli.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Already a bundle with its own lazily loaded language plugins; it stays a dependency.
  external: ['prettier'],
  // CommonJS dependencies call require(); ESM output needs one.
  banner: { js: "import { createRequire as __ciaRequire } from 'node:module'; const require = __ciaRequire(import.meta.url);" },
  // Smaller files parse faster; names are kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [patchPlugin],
});
if (process.env.BUNDLE_META) (await import('node:fs')).writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));
