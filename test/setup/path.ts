// vitest setupFiles (every test file): the pinned uv (test/tools/uv.sh, fetched by global.ts) goes
// first on PATH. What a test creates then never depends on whether the machine has uv: the default
// --pm of a Python project ("uv when on PATH, else pip") is uv, and it is the pinned release, for
// in-process renders and the bins the tests spawn alike. Tests of the pip path pass --pm pip; those
// of the default itself give the bin a PATH of their own.
import { delimiter, dirname } from 'node:path';
import { toolPath } from '../tools/index.js';

const uvDir = dirname(await toolPath('uv'));
const path = process.env.PATH ?? '';
if (path.split(delimiter)[0] !== uvDir) process.env.PATH = `${uvDir}${delimiter}${path}`;
