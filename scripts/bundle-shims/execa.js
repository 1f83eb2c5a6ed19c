// Stands in for `execa` in the CLI bundle: yeoman (spawnCommand, package manager) and post-write.ts
// import it, but a run with --skip-install --skip-git spawns nothing. Loaded on the first call
// (each function forwards every call form: (file, args, options), options binding, template strings).
let real;
const load = () => (real ??= require('execa'));

export function execa(...args) {
  return load().execa(...args);
}
export function execaSync(...args) {
  return load().execaSync(...args);
}
export function execaCommand(...args) {
  return load().execaCommand(...args);
}
export function execaCommandSync(...args) {
  return load().execaCommandSync(...args);
}
