import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { z } from 'zod';

/*
 * Takes a PNG of the Agents Playground UI after sending one message and waiting for the bot's Adaptive Card.
 *   npm run screenshot -- --url http://127.0.0.1:56150 --out docs/playground.png --say "help"
 * Needs Debian's chromium (apt-get install -y chromium); CI does not run this script.
 */

const USAGE =
  'usage: tsx tests/e2e/screenshot.ts --url <playground url> --out <file.png> --say <message> ' +
  '[--chromium /usr/bin/chromium] [--timeout-ms 30000] [--width 1280] [--height 900] [--card-only]';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const COMPOSE_BOX = '[data-lexical-editor="true"]';
// The adaptivecards renderer puts this class on the root element of every rendered card.
const CARD = '.ac-adaptiveCard';

const argsSchema = z.object({
  url: z.url(),
  out: z.string().endsWith('.png'),
  say: z.string().min(1),
  chromium: z.string().default('/usr/bin/chromium'),
  timeoutMs: z.coerce.number().int().positive().default(30_000),
  width: z.coerce.number().int().positive().default(1280),
  height: z.coerce.number().int().positive().default(900),
  /** The whole reply card, however tall, instead of the window. */
  cardOnly: z.boolean().default(false),
});

type ScreenshotArgs = z.infer<typeof argsSchema>;

function readArgs(argv: string[]): ScreenshotArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      out: { type: 'string' },
      say: { type: 'string' },
      chromium: { type: 'string' },
      'timeout-ms': { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      'card-only': { type: 'boolean' },
    },
  });
  const parsed = argsSchema.safeParse({
    url: values.url,
    out: values.out,
    say: values.say,
    chromium: values.chromium,
    timeoutMs: values['timeout-ms'],
    width: values.width,
    height: values.height,
    cardOnly: values['card-only'] ?? false,
  });
  if (!parsed.success) {
    throw new Error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
  }
  return parsed.data;
}

/** Opens the Playground in headless chromium, says one message and saves a screenshot once a card shows. */
export async function takePlaygroundScreenshot(args: ScreenshotArgs): Promise<void> {
  if (!existsSync(args.chromium)) {
    throw new Error(
      `${args.chromium} not found: install it with "apt-get install -y chromium" or pass --chromium <path>.`,
    );
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: args.width, height: args.height },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(args.timeoutMs);
    await page.goto(args.url, { waitUntil: 'domcontentloaded' });
    const compose = page.locator(COMPOSE_BOX);
    await compose.waitFor({ state: 'visible' });
    const cardsBefore = await page.locator(CARD).count();
    await compose.click();
    await page.keyboard.type(args.say);
    await page.keyboard.press('Enter');
    await page.locator(CARD).nth(cardsBefore).waitFor({ state: 'visible' });
    // Let images and fonts settle; networkidle may never come while the font CDN is unreachable, and the card is already shown.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
    await page.locator(CARD).last().scrollIntoViewIfNeeded();
    await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
    if (args.cardOnly) await page.locator(CARD).last().screenshot({ path: args.out });
    else await page.screenshot({ path: args.out });
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  takePlaygroundScreenshot(readArgs(process.argv.slice(2))).then(
    () => process.stdout.write('screenshot saved\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
