// Stands in for `inquirer` inside the CLI bundle (imported by @yeoman/adapter, which builds a prompt
// module for every environment, even when nothing will be asked: --yes, every answer given as a
// flag). inquirer and its prompts (rxjs, @inquirer/*, an external editor, ~700 kB) are loaded on the
// first prompt instead. Same shape as inquirer's own createPromptModule: `prompts` is a plain object
// (built-ins + registered prompts), registerPrompt adds to it, restoreDefaultPrompts resets it. Until
// inquirer is loaded, `prompts` holds only what was registered (and @yeoman/adapter's `list` alias);
// the built-ins are merged under it on load.
let inquirer;

export function createPromptModule(opt) {
  let real;
  let builtIns;
  function promptModule(questions, answers) {
    if (!real) {
      inquirer ??= require('inquirer');
      real = inquirer.createPromptModule(opt);
      builtIns = { ...real.prompts };
      const own = Object.getOwnPropertyDescriptors(promptModule.prompts);
      promptModule.prompts = Object.defineProperties({ ...builtIns }, own);
    }
    real.prompts = promptModule.prompts;
    return real(questions, answers);
  }
  promptModule.prompts = {};
  promptModule.registerPrompt = function (name, prompt) {
    promptModule.prompts[name] = prompt;
    return this;
  };
  promptModule.restoreDefaultPrompts = function () {
    promptModule.prompts = builtIns ? { ...builtIns } : {};
  };
  return promptModule;
}

const lazyDefault = () => {
  inquirer ??= require('inquirer');
  return inquirer.default;
};
export default {
  get prompt() {
    return lazyDefault().prompt;
  },
  createPromptModule,
  registerPrompt: (...args) => lazyDefault().registerPrompt(...args),
  restoreDefaultPrompts: () => lazyDefault().restoreDefaultPrompts(),
  get Separator() {
    return lazyDefault().Separator;
  },
};
