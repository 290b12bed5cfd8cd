// Preloaded into StrykerJS's processes by tests/mutation.ts. @stryker-mutator/mocha-runner 10.1 requires mocha's CLI
// helpers without an extension (`mocha/lib/cli/run-helpers`, `.../options`), but mocha 12 ships them as `.cjs`.
// Registering `.cjs` as a resolvable extension (handled exactly like `.js`) lets those requires find the files.
'use strict';
const Module = require('node:module');
if (!Module._extensions['.cjs']) Module._extensions['.cjs'] = Module._extensions['.js'];
