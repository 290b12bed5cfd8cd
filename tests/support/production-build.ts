import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The repository root. */
export const repoRoot = resolve(__dirname, '..', '..');
const BUILD_CONFIG = join(repoRoot, 'tsconfig.build.json');

function buildOptions(): { options: ts.CompilerOptions; roots: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    BUILD_CONFIG,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.build.json could not be read');
  return { options: parsed.options, roots: parsed.fileNames };
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && !p.endsWith('/'));
}

/**
 * Emits what `npm run build` emits, without its type check (`npm run typecheck` does that): the files reachable from
 * tsconfig.build.json's roots, each through the TypeScript emitter with the build's compiler options. Three times
 * cheaper than a full tsc run, so the test suite can afford it; the output was compared byte for byte with tsc's.
 */
export function emitProductionBuild(outDir: string): string[] {
  const { options, roots } = buildOptions();
  const rootDir = options.rootDir ?? repoRoot;
  const seen = new Set<string>();
  const queue = [...roots];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const target = join(outDir, relative(rootDir, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.json')) {
      copyFileSync(file, target);
      continue;
    }
    const source = readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      const local = fileName.startsWith('.') ? resolveLocal(file, fileName) : undefined;
      if (local) queue.push(local);
    }
    const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: file });
    writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
  }
  return [...seen];
}

/** Lays out a deployment folder as the App Service package has it: package.json, dist/ and node_modules. */
export function stageDeployment(dir: string): { main: string } {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  // The repository's node_modules holds devDependencies too: requireScan below is what keeps them out of dist/.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  emitProductionBuild(join(dir, 'dist'));
  return { main: join(dir, 'dist', 'bot', 'main.js') };
}

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Every require()/import() of a package in compiled code that package.json's `dependencies` do not provide. */
export function undeclaredRequires(
  files: { path: string; text: string }[],
  dependencies: Record<string, string>,
): { file: string; specifier: string }[] {
  const found: { file: string; specifier: string }[] = [];
  const pattern = /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;
  for (const { path, text } of files) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      if (!(packageOf(specifier) in dependencies)) found.push({ file: path, specifier });
    }
  }
  return found;
}

/** The .js files under a directory, with their text. */
export function readJsFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.js'))
    .map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
}
