// Imports a module from the installed dependencies instead of the bundle, resolved from the package
// that depends on it (so it is found wherever npm placed it). For rarely used, heavy code paths
// that would only make the bundle bigger.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function importInstalled(owner, name) {
  const ownerEntry = createRequire(import.meta.url).resolve(owner);
  return import(pathToFileURL(createRequire(ownerEntry).resolve(name)).href);
}
