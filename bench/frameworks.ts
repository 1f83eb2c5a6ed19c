// Which frameworks a bench runs: the e2e adapters named on its command line, or every one whose
// template exists. Shared by bench:overhead and bench:first-trace.
import { ADAPTERS, implemented } from '../test/e2e/frameworks/index.js';
import type { FrameworkAdapter } from '../test/e2e/frameworks/types.js';

/**
 * The adapters named in `positionals` ("express fastify" or "express,fastify"), in that order;
 * none named: every implemented one. An unknown name prints it with `usage` and gives undefined
 * (the bench exits 2).
 */
export function selectAdapters(positionals: string[], usage: string): FrameworkAdapter[] | undefined {
  const names = positionals.flatMap((p) => p.split(',')).filter(Boolean);
  const unknown = names.filter((n) => !ADAPTERS.some((a) => a.name === n));
  if (unknown.length > 0) {
    console.error(`unknown framework ${unknown.join(', ')}\n${usage}`);
    return undefined;
  }
  return names.length === 0 ? ADAPTERS.filter(implemented) : names.map((n) => ADAPTERS.find((a) => a.name === n)!);
}
