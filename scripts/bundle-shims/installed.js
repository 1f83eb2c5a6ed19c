// Imports a module from the installed dependencies instead of the bundle, resolved from the package
// that depends on it (so it is found wherever npm placed it). For code paths this CLI never takes
// (installing generators, asking the registry for versions) that would only make the bundle bigger.
// The published package has no dependencies, so there the call fails with a clear error.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function importInstalled(owner, name) {
  let path;
  try {
    path = createRequire(createRequire(import.meta.url).resolve(owner)).resolve(name);
  } catch {
    throw new Error(`create-instrumented-api: ${name} (from ${owner}) is not part of the bundle and not installed`);
  }
  return import(pathToFileURL(path).href);
}
