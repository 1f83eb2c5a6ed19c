// Stands in for `@inquirer/core` where @yeoman/adapter imports it (Separator for choice lists, and
// createPrompt in its test adapter): the real module is loaded on first use, not at start-up.
let core;
const load = () => (core ??= require('@inquirer/core'));

export class Separator {
  constructor(separator) {
    // A constructor that returns an object yields that object: a real Separator.
    return new (load().Separator)(separator);
  }
  static isSeparator(choice) {
    return load().Separator.isSeparator(choice);
  }
}

export function createPrompt(...args) {
  return load().createPrompt(...args);
}
