#!/usr/bin/env node
// Tiny shim. `npm run build` writes the CLI twice: dist/bundle/ (esbuild: one file plus chunks loaded
// on demand, starts fast) and dist/generators/ (tsc: what the tests import). The bundle runs when it
// exists, unless CREATE_INSTRUMENTED_API_NO_BUNDLE=1; after editing generators/, run `npm run build`
// (tsc alone leaves the bundle as it was).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const useBundle = process.env.CREATE_INSTRUMENTED_API_NO_BUNDLE !== '1' && existsSync(bundle);
const { main } = await import(useBundle ? bundle.href : '../dist/generators/cli.js');

process.exitCode = await main(process.argv.slice(2));
