// Stands in for `latest-version` (yeoman-generator's addDependencies asks the npm registry for
// versions not given; this CLI never does): the real module and its HTTP client are loaded from the
// installed dependencies (not bundled) when a version is actually looked up.
import { importInstalled } from './installed.js';

export default async function latestVersion(...args) {
  return (await importInstalled('yeoman-generator', 'latest-version')).default(...args);
}
