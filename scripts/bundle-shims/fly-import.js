// Stands in for `fly-import` inside the CLI bundle. yeoman-environment constructs a FlyRepository
// (for installing generators on the fly) in every environment, but this CLI registers its one
// generator and never installs any; the real module drags in npm's arborist (~2 MB of code).
// Every method loads the real module (installed with yeoman-environment, not bundled) on first use,
// so nothing changes if one ever is called.
import { join, resolve } from 'node:path';
import { importInstalled } from './installed.js';

let realModule;
const loadReal = async () => (realModule ??= await importInstalled('yeoman-environment', 'fly-import'));

export class FlyRepository {
  #config;
  #real;
  constructor(config) {
    this.#config = { ...config };
  }
  get arboristConfig() {
    return this.#config.arboristConfig;
  }
  get repositoryPath() {
    return resolve(this.#config.repositoryPath);
  }
  set repositoryPath(path) {
    this.#config.repositoryPath = path;
    this.#real = undefined;
  }
  get nodeModulesPath() {
    return join(this.repositoryPath, 'node_modules');
  }
  async #get() {
    if (!this.#real) this.#real = new (await loadReal()).FlyRepository(this.#config);
    return this.#real;
  }
  async load() {
    return (await this.#get()).load();
  }
  async install(spec) {
    return (await this.#get()).install(spec);
  }
  async import(spec) {
    return (await this.#get()).import(spec);
  }
  async resolve(path) {
    return (await this.#get()).resolve(path);
  }
  findSpecs(specs) {
    if (!this.#real) throw new Error('FlyRepository.findSpecs: call load() first');
    return this.#real.findSpecs(specs);
  }
}

export const flyImport = async (...args) => (await loadReal()).flyImport(...args);
export const flyInstall = async (...args) => (await loadReal()).flyInstall(...args);
