#!/usr/bin/env node
// Tiny shim: the real CLI is compiled to dist/ (npm run build).
import { main } from '../dist/generators/cli.js';

process.exitCode = await main(process.argv.slice(2));
