import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findCycles, importGraph, runtimeSpecifiers, type ImportGraph } from '../../support/import-graph';

const ROOT = join(__dirname, '..', '..', '..');
const FOLDERS = ['bot', 'services', 'cards', 'demo', 'bench', 'manifest', 'tests/support'];

describe('import graph', () => {
  it('has no cycle among bot/, services/, cards/, demo/, bench/, manifest/ and tests/support', () => {
    const graph = importGraph(ROOT, FOLDERS);
    assert.ok(graph.size > 200, `read ${graph.size} modules`);
    assert.ok((graph.get('bot/main.ts') ?? []).includes('bot/app.ts'), 'the graph resolves relative imports');
    const cycles = findCycles(graph);
    assert.deepEqual(
      cycles.map((c) => c.join(' → ')),
      [],
      'each line is an import cycle: break it by moving what both sides need into a module of its own',
    );
  });

  it('finds and names a cycle, a self-import, and not a diamond', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', []],
      ['f.ts', ['f.ts']],
      ['g.ts', ['d.ts', 'e.ts']],
    ]);
    assert.deepEqual(
      findCycles(graph)
        .map((c) => c.join(' → '))
        .sort(),
      ['a.ts → b.ts → c.ts → a.ts', 'f.ts → f.ts'],
    );
  });

  it('counts what loads at run time: values, re-exports, require and import(); not what the compiler erases', () => {
    const text = [
      "import { a } from './a';",
      "import b from './b';",
      "import * as c from './c';",
      "import { type D, e } from './e';",
      "import type { F } from './f';",
      "import { type G } from './g';",
      "export { h } from './h';",
      "export type { I } from './i';",
      "const j = require('./j');",
      "void import('./k');",
      "import './l';",
    ].join('\n');
    assert.deepEqual(runtimeSpecifiers('x.ts', text), ['./a', './b', './c', './e', './h', './j', './k', './l']);
  });
});
