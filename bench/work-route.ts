// The bench's second route, `GET /work`: about 1 ms of CPU of the same work in every language
// (SHA-256 over a fixed 64 KiB buffer, WORK_BLOCKS times, answered as JSON), so a traced arm is
// compared on a request that does something. It is added to the bench's temp copy of the generated
// project only (never to the templates): one new file and one registration line per framework,
// next to the example route's. A patch whose anchor is gone fails loudly (the template changed).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../test/e2e/frameworks/types.js';

export const WORK_PATH = '/work';
/** 64 KiB blocks hashed per request: ~40 µs each with SHA-NI here, so ~1 ms in C, Node and Go alike. */
export const WORK_BLOCKS = 24;

const pythonPackage = (name: string) => name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();

/** Replaces exactly one occurrence of `anchor` (a string or a regexp) in `file`. */
function patch(file: string, anchor: string | RegExp, replace: (match: string) => string): void {
  const text = readFileSync(file, 'utf8');
  const re = typeof anchor === 'string' ? new RegExp(anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(anchor.source, 'g');
  const matches = text.match(re) ?? [];
  if (matches.length !== 1) throw new Error(`bench work route: ${file}: expected one ${re} (found ${matches.length}); did the template change?`);
  writeFileSync(file, text.replace(re, (m) => replace(m)));
}

function write(file: string, text: string): void {
  if (existsSync(file)) throw new Error(`bench work route: ${file} exists already`);
  writeFileSync(file, text);
}

const NODE_WORK = `// Bench only (added by bench/work-route.ts): ~1 ms of CPU, the same work in every language.
import { createHash } from 'node:crypto';

const BLOCK = Buffer.alloc(65536);
for (let i = 0; i < BLOCK.length; i++) BLOCK[i] = i % 256;

export function benchWork(): { sha256: string } {
  const hash = createHash('sha256');
  for (let i = 0; i < ${WORK_BLOCKS}; i++) hash.update(BLOCK);
  return { sha256: hash.digest('hex') };
}
`;

const PATCHES: Record<string, (p: Project) => void> = {
  fastapi(p) {
    const pkg = join(p.dir, 'src', pythonPackage(p.name));
    write(
      join(pkg, 'routes', 'bench_work.py'),
      `"""Bench only (added by bench/work-route.ts): ~1 ms of CPU, the same work in every language."""

import hashlib

from fastapi import APIRouter

router = APIRouter()

_BLOCK = bytes(range(256)) * 256


@router.get("${WORK_PATH}")
async def work() -> dict[str, str]:
    digest = hashlib.sha256()
    for _ in range(${WORK_BLOCKS}):
        digest.update(_BLOCK)
    return {"sha256": digest.hexdigest()}
`,
    );
    patch(join(pkg, 'app.py'), /\n( *)app\.include_router\(items\.router\)\n/, (m) => {
      const indent = /\n( *)/.exec(m)![1]!;
      return `${m}${indent}from ${pythonPackage(p.name)}.routes import bench_work\n\n${indent}app.include_router(bench_work.router)\n`;
    });
  },
  express(p) {
    write(join(p.dir, 'src', 'bench-work.ts'), NODE_WORK);
    patch(join(p.dir, 'src', 'app.ts'), "import { itemsRouter } from './routes/items.js';", (m) => `${m}\nimport { benchWork } from './bench-work.js';`);
    patch(join(p.dir, 'src', 'app.ts'), /\n( *)app\.use\(itemsRouter\(logger\)\);\n/, (m) => {
      const indent = /\n( *)/.exec(m)![1]!;
      return `${m}${indent}app.get('${WORK_PATH}', (_request, response) => {\n${indent}  response.json(benchWork());\n${indent}});\n`;
    });
  },
  fastify(p) {
    write(join(p.dir, 'src', 'bench-work.ts'), NODE_WORK);
    patch(join(p.dir, 'src', 'app.ts'), "import { itemRoutes } from './routes/items.js';", (m) => `${m}\nimport { benchWork } from './bench-work.js';`);
    patch(join(p.dir, 'src', 'app.ts'), /\n( *)void app\.register\(itemRoutes\);\n/, (m) => {
      const indent = /\n( *)/.exec(m)![1]!;
      return `${m}${indent}app.get('${WORK_PATH}', async () => benchWork());\n`;
    });
  },
  go(p) {
    write(
      join(p.dir, 'internal', 'app', 'bench_work.go'),
      `package app

// Bench only (added by bench/work-route.ts): ~1 ms of CPU, the same work in every language.

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

var benchBlock = func() []byte {
	b := make([]byte, 65536)
	for i := range b {
		b[i] = byte(i % 256)
	}
	return b
}()

type benchWorkHandler struct{}

func (benchWorkHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := sha256.New()
	for range ${WORK_BLOCKS} {
		h.Write(benchBlock)
	}
	writeJSON(w, http.StatusOK, map[string]string{"sha256": hex.EncodeToString(h.Sum(nil))})
}
`,
    );
    patch(join(p.dir, 'internal', 'app', 'app.go'), /\n(\t*)mux\.Handle\(ItemRoute, [^\n]*\n/, (m) => {
      const indent = /\n(\t*)/.exec(m)![1]!;
      return `${m}${indent}mux.Handle("GET ${WORK_PATH}", benchWorkHandler{})\n`;
    });
  },
};

/** Adds GET /work to the generated project in `p.dir` (a temp copy). */
export function addWorkRoute(framework: string, p: Project): void {
  const apply = PATCHES[framework];
  if (!apply) throw new Error(`bench work route: no patch for ${framework}`);
  apply(p);
}
