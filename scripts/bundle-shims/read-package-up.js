// Stands in for `read-package-up` (yeoman-generator reads the root generator's package.json with it
// only when the environment did not register a package path; run.ts registers one). Its
// package.json normalizer builds SPDX license tables when loaded; now only when called.
let real;
const load = () => (real ??= require('read-package-up'));

export function readPackageUpSync(options) {
  return load().readPackageUpSync(options);
}

export async function readPackageUp(options) {
  return load().readPackageUp(options);
}
