import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { isCodedError } from '../../../services/errors';
import {
  buildAppPackage,
  buildManifest,
  MANIFEST_DIR,
  packageApp,
  type AppIcons,
  type ManifestJson,
} from '../../../manifest/package';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

function base(): ManifestJson {
  return JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as ManifestJson;
}

function icons(): AppIcons {
  return {
    color: readFileSync(join(MANIFEST_DIR, 'color.png')),
    outline: readFileSync(join(MANIFEST_DIR, 'outline.png')),
  };
}

function botIds(manifest: ManifestJson): unknown[] {
  return (manifest.bots as { botId: unknown }[]).map((b) => b.botId);
}

async function readZip(zip: Buffer): Promise<{ names: string[]; manifest: ManifestJson; zip: JSZip }> {
  const archive = await JSZip.loadAsync(zip);
  const names = Object.keys(archive.files).sort();
  const text = await archive.file('manifest.json')?.async('string');
  assert.ok(text !== undefined, 'manifest.json missing from the package');
  return { names, manifest: JSON.parse(text) as ManifestJson, zip: archive };
}

describe('buildManifest', () => {
  it('keeps the committed placeholder id when no app id is given', () => {
    const manifest = buildManifest(base());
    assert.equal(manifest.id, PLACEHOLDER);
    assert.deepEqual(botIds(manifest), [PLACEHOLDER]);
  });

  it('puts the app id into id and bots[0].botId without touching the input', () => {
    const input = base();
    const manifest = buildManifest(input, ` ${APP_ID} `);
    assert.equal(manifest.id, APP_ID);
    assert.deepEqual(botIds(manifest), [APP_ID]);
    assert.equal(input.id, PLACEHOLDER);
    assert.deepEqual(botIds(input), [PLACEHOLDER]);
  });

  for (const bad of ['', 'not-a-guid', `{${APP_ID}}`, `${APP_ID}0`, 'secret~password.value']) {
    it(`refuses the non-GUID app id ${JSON.stringify(bad)} without echoing it`, () => {
      assert.throws(
        () => buildManifest(base(), bad),
        (err: unknown) =>
          isCodedError(err, 'config_invalid') &&
          err.message.startsWith('MicrosoftAppId must be') &&
          (bad === '' || !err.message.includes(bad)),
      );
    });
  }
});

describe('buildAppPackage', () => {
  it('zips exactly manifest.json, color.png and outline.png at the root', async () => {
    const zip = await buildAppPackage(buildManifest(base(), APP_ID), icons());
    const { names, manifest, zip: archive } = await readZip(zip);
    assert.deepEqual(names, ['color.png', 'manifest.json', 'outline.png']);
    assert.equal(manifest.id, APP_ID);
    assert.deepEqual(botIds(manifest), [APP_ID]);
    assert.deepEqual(await archive.file('color.png')?.async('nodebuffer'), icons().color);
    assert.deepEqual(await archive.file('outline.png')?.async('nodebuffer'), icons().outline);
  });

  it('is reproducible byte for byte', async () => {
    const first = await buildAppPackage(base(), icons());
    const second = await buildAppPackage(base(), icons());
    assert.ok(first.equals(second));
  });
});

describe('packageApp', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-manifest-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a validated package with the app id', async () => {
    const outFile = join(dir, 'out', 'app.zip');
    const result = await packageApp({ appId: APP_ID, outFile });
    assert.deepEqual(result, { kind: 'packaged', file: outFile, appId: APP_ID, placeholder: false });
    const { names, manifest } = await readZip(readFileSync(outFile));
    assert.deepEqual(names, ['color.png', 'manifest.json', 'outline.png']);
    assert.equal(manifest.id, APP_ID);
  });

  it('refuses a non-GUID app id and writes nothing', async () => {
    const outFile = join(dir, 'app.zip');
    const result = await packageApp({ appId: 'my-bot', outFile });
    assert.equal(result.kind, 'invalid');
    assert.match(result.kind === 'invalid' ? (result.errors[0] ?? '') : '', /^MicrosoftAppId must be .*GUID/);
    assert.equal(existsSync(outFile), false);
  });

  it('lists every schema and icon error of a broken manifest folder and writes nothing', async () => {
    const broken = base();
    broken.version = 7;
    delete broken.developer;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
    copyFileSync(join(MANIFEST_DIR, 'outline.png'), join(dir, 'color.png'));
    copyFileSync(join(MANIFEST_DIR, 'outline.png'), join(dir, 'outline.png'));
    const outFile = join(dir, 'app.zip');
    const result = await packageApp({ manifestDir: dir, outFile });
    assert.equal(result.kind, 'invalid');
    const errors = result.kind === 'invalid' ? result.errors : [];
    assert.ok(
      errors.some((e) => e.startsWith('/version must be string')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.includes("must have required property 'developer'")),
      errors.join('\n'),
    );
    assert.ok(errors.includes('color.png is 32×32; Teams requires 192×192'), errors.join('\n'));
    assert.equal(existsSync(outFile), false);
  });
});
