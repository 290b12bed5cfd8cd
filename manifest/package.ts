import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import JSZip from 'jszip';
import { CodedError } from '../services/errors';
import { isGuid } from '../services/ids';
import { commandLists } from './command-lists';
import { checkIcons, ICON_FILES, validateManifest } from './validate-manifest';

export { checkIcons, validateManifest } from './validate-manifest';

/** A parsed manifest.json; its shape is checked by validateManifest, not by this type. */
export type ManifestJson = Record<string, unknown>;

/** The two icon files that go into the app package. */
export interface AppIcons {
  color: Buffer;
  outline: Buffer;
}

export const MANIFEST_DIR = __dirname;
export const PACKAGE_FILE = join(__dirname, '..', 'dist', 'secbot-teams-app.zip');

// A fixed timestamp makes the zip byte-for-byte reproducible from the same inputs.
const ZIP_DATE = new Date(Date.UTC(2020, 0, 1));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns a copy of the manifest with every bot's command lists generated from the command table, and `id` and every
 * bot's `botId` set to the Bot Framework app id. Without an app id the committed placeholder GUID stays. A value that
 * is not a GUID is refused.
 */
export function buildManifest(base: Readonly<ManifestJson>, appId?: string): ManifestJson {
  const manifest = structuredClone(base) as ManifestJson;
  const bots = manifest.bots;
  if (Array.isArray(bots)) {
    for (const bot of bots as unknown[]) if (isRecord(bot)) bot.commandLists = commandLists();
  }
  if (appId === undefined) return manifest;
  const id = appId.trim();
  if (!isGuid(id)) {
    throw new CodedError(
      'config_invalid',
      // The value is not echoed: a misplaced secret (the app password) must not reach the terminal or CI logs.
      `MicrosoftAppId must be the bot's Microsoft App ID, a GUID such as 2f6c1a7e-0b7d-4c1e-9d55-3a8e4f0b9c21; got ${id.length} characters that are not a GUID`,
      { setting: 'MicrosoftAppId' },
    );
  }
  manifest.id = id;
  if (Array.isArray(bots)) {
    for (const bot of bots as unknown[]) if (isRecord(bot)) bot.botId = id;
  }
  return manifest;
}

/** Zips manifest.json and the two icons at the root of a Teams app package. */
export async function buildAppPackage(manifest: Readonly<ManifestJson>, icons: AppIcons): Promise<Buffer> {
  const zip = new JSZip();
  const options = { date: ZIP_DATE, createFolders: false };
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, options);
  zip.file(ICON_FILES.color, icons.color, options);
  zip.file(ICON_FILES.outline, icons.outline, options);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** What packaging produced: the zip, or every reason it was refused. */
export type PackageResult =
  { kind: 'packaged'; file: string; appId: string; placeholder: boolean } | { kind: 'invalid'; errors: string[] };

/** Reads manifest/, applies the app id, validates manifest and icons, and writes the app package. */
export async function packageApp(options: {
  appId?: string;
  manifestDir?: string;
  outFile?: string;
}): Promise<PackageResult> {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const outFile = options.outFile ?? PACKAGE_FILE;
  const parsed: unknown = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  if (!isRecord(parsed)) return { kind: 'invalid', errors: ['manifest.json must hold a JSON object'] };
  let manifest: ManifestJson;
  try {
    manifest = buildManifest(parsed, options.appId);
  } catch (err) {
    if (err instanceof CodedError) return { kind: 'invalid', errors: [err.message] };
    throw err;
  }
  const icons: AppIcons = {
    color: await readFile(join(dir, ICON_FILES.color)),
    outline: await readFile(join(dir, ICON_FILES.outline)),
  };
  const errors = [...(await validateManifest(manifest)), ...checkIcons(icons)];
  if (errors.length > 0) return { kind: 'invalid', errors };
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, await buildAppPackage(manifest, icons));
  return { kind: 'packaged', file: outFile, appId: String(manifest.id), placeholder: options.appId === undefined };
}

async function main(): Promise<number> {
  // Operators keep MicrosoftAppId in .env for the bot; packaging reads the same file. Real env vars win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const raw = process.env.MicrosoftAppId;
  const appId = raw === undefined || raw.trim() === '' ? undefined : raw;
  const result = await packageApp({ appId });
  if (result.kind === 'invalid') {
    process.stderr.write(`Teams app package not written; fix these problems in manifest/:\n`);
    for (const error of result.errors) process.stderr.write(`  - ${error}\n`);
    return 1;
  }
  process.stdout.write(`Wrote ${relative(process.cwd(), result.file)} (app id ${result.appId})\n`);
  if (result.placeholder) {
    process.stderr.write(
      "MicrosoftAppId is not set, so the package carries the placeholder id; set it to the bot registration's app id before uploading to Teams.\n",
    );
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`Packaging failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
