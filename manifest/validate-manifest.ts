import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { z } from 'zod';
import { decodePng } from './png';

/** The newest Teams schema bundled with @microsoft/app-manifest 1.1.2 (vDevPreview is not a release). */
export const MANIFEST_VERSION = '1.30';
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** Names the icons have inside the app package; manifest.json must point at them. */
export const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;
export const COLOR_ICON_PIXELS = 192;
export const OUTLINE_ICON_PIXELS = 32;

// The schema allows 12 commands per list, but Teams shows at most 10 per scope.
export const MAX_COMMANDS_PER_SCOPE = 10;

type Schema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;
type AppManifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];

let bundledSchema: Schema | undefined;

// Loaded from the package's files and passed explicitly, so validation can never fall back to fetching $schema.
function loadBundledSchema(): Schema {
  if (!bundledSchema) {
    const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
    const file = join(root, 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, 'MicrosoftTeams.schema.json');
    // The bundled schemas contain "\a" and "\v" escapes, which JSON does not allow; the package rewrites them the same way.
    const text = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
    bundledSchema = JSON.parse(text) as Schema;
  }
  return bundledSchema;
}

const commandListsView = z.object({
  icons: z.object({ color: z.string(), outline: z.string() }),
  bots: z
    .array(
      z.object({
        scopes: z.array(z.string()).default([]),
        commandLists: z
          .array(z.object({ scopes: z.array(z.string()), commands: z.array(z.object({ title: z.string() })) }))
          .default([]),
      }),
    )
    .default([]),
});

function checkTeamsRules(json: unknown): string[] {
  const parsed = commandListsView.safeParse(json);
  if (!parsed.success) return [];
  const errors: string[] = [];
  const { icons, bots } = parsed.data;
  for (const key of ['color', 'outline'] as const) {
    if (icons[key] !== ICON_FILES[key]) {
      errors.push(`/icons/${key} must be "${ICON_FILES[key]}", the name the app package stores it under`);
    }
  }
  bots.forEach((bot, b) => {
    const listsByScope = new Map<string, number>();
    bot.commandLists.forEach((list, l) => {
      for (const scope of list.scopes) {
        if (!bot.scopes.includes(scope)) {
          errors.push(`/bots/${b}/commandLists/${l} names scope "${scope}", which the bot does not declare`);
        }
        listsByScope.set(scope, (listsByScope.get(scope) ?? 0) + 1);
        if (list.commands.length > MAX_COMMANDS_PER_SCOPE) {
          errors.push(
            `/bots/${b}/commandLists/${l} has ${list.commands.length} commands for scope "${scope}"; Teams shows at most ${MAX_COMMANDS_PER_SCOPE}`,
          );
        }
      }
      const titles = list.commands.map((c) => c.title);
      for (const title of new Set(titles.filter((t, i) => titles.indexOf(t) !== i))) {
        errors.push(`/bots/${b}/commandLists/${l} lists the command "${title}" more than once`);
      }
    });
    for (const [scope, count] of listsByScope) {
      if (count > 1) errors.push(`/bots/${b}/commandLists has ${count} lists for scope "${scope}"; use one per scope`);
    }
  });
  return errors;
}

/**
 * Validates a Teams manifest offline against the bundled v1.30 schema, plus the Teams rules the schema
 * does not encode. Returns every problem found; an empty list means valid.
 */
export async function validateManifest(json: unknown): Promise<string[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return ['manifest must be a JSON object'];
  const errors: string[] = [];
  const declared = (json as { $schema?: unknown }).$schema;
  if (declared !== SCHEMA_URL) {
    errors.push(
      `/$schema must be "${SCHEMA_URL}" (the schema this project validates against), got ${JSON.stringify(declared)}`,
    );
  }
  errors.push(...(await AppManifestUtils.validateAgainstSchema(json as AppManifest, loadBundledSchema())));
  errors.push(...checkTeamsRules(json));
  return errors;
}

/** Checks the icon files Teams requires: PNGs of the right size, and an outline icon of only white and transparent pixels. */
export function checkIcons(icons: { color: Buffer; outline: Buffer }): string[] {
  const errors: string[] = [];
  const expected = { color: COLOR_ICON_PIXELS, outline: OUTLINE_ICON_PIXELS };
  for (const key of ['color', 'outline'] as const) {
    let image: ReturnType<typeof decodePng>;
    try {
      image = decodePng(icons[key]);
    } catch (err) {
      errors.push(`${ICON_FILES[key]}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const size = expected[key];
    if (image.width !== size || image.height !== size) {
      errors.push(`${ICON_FILES[key]} is ${image.width}×${image.height}; Teams requires ${size}×${size}`);
    }
    if (key === 'outline') {
      const { pixels } = image;
      let offending = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const opaqueEnough = (pixels[i + 3] ?? 0) > 0;
        const white = pixels[i] === 255 && pixels[i + 1] === 255 && pixels[i + 2] === 255;
        if (opaqueEnough && !white) offending++;
      }
      if (offending > 0) {
        errors.push(`${ICON_FILES.outline} has ${offending} pixels that are neither white nor fully transparent`);
      }
    }
  }
  return errors;
}
