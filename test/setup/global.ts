// vitest globalSetup: before any test file runs, check the prerequisites (one line each when missing,
// then stop) and fetch every tool the tests use into the cache, all at once, saying what it fetches:
// a cold first run then shows "building docker-compose …" instead of a test timing out.
import { missingPrerequisites } from '../tools/prerequisites.js';
import { TOOLS, toolPath, type ToolName } from '../tools/index.js';

export default async function setup(): Promise<void> {
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    for (const line of missing) console.error(`npm test: ${line}`);
    process.exit(1);
  }
  const t0 = performance.now();
  const names = Object.keys(TOOLS) as ToolName[];
  const results = await Promise.allSettled(names.map((name) => toolPath(name, (line) => console.log(`npm test: ${line}`))));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failed.length > 0) {
    for (const line of failed) console.error(`npm test: ${line}`);
    process.exit(1);
  }
  const ms = performance.now() - t0;
  if (ms > 2000) console.log(`test tools ready in ${(ms / 1000).toFixed(1)} s: ${names.join(', ')}`);
}
