import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { adaptiveCard, type AdaptiveCard } from '../../cards/elements';
import { cardProblems } from '../support/cards';
import { CARD_FIXTURES } from './card-fixtures';
import { hostilePayload, UNSANITISED, type Hostile } from './hostile';
import { fuzzing, runs } from './runs';

// Issue 10 item 6 / rows 13–14: one property over every card builder. Untrusted strings may appear only as TextRun
// text (which Teams never renders as markdown), sanitised and capped, or inside an action's `data` (sent back to the
// bot, never shown). Anywhere else — TextBlock, FactSet, titles, fallbackText, input labels, URLs — is a leak.
// Checked on the card JSON, so it holds whatever helpers the builders use.

const CARDS_DIR = join(__dirname, '..', '..', 'cards');
const MAX_RUN_LENGTH = 1_000;
// Exported `*Card` functions that wrap a body rather than build a card from data.
const NOT_BUILDERS = new Set(['adaptiveCard']);

/** Every exported `*Card` / `*Cards` function of `cards/`, by name. */
function discoverBuilders(): string[] {
  // Loaded by path (the list is the directory's), through tsx's CommonJS hook like every other test import.
  const load = createRequire(__filename);
  const names: string[] = [];
  for (const file of readdirSync(CARDS_DIR).filter((f) => f.endsWith('.ts'))) {
    const module = load(join(CARDS_DIR, file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function' && /Cards?$/.test(name) && !NOT_BUILDERS.has(name)) names.push(name);
    }
  }
  return names.sort();
}

/** Where a marked (untrusted) string landed in a card, and what is wrong with that. */
function placementProblems(card: unknown, markers: readonly string[]): { problems: string[]; seen: number } {
  const lower = markers.map((m) => m.toLowerCase());
  const problems: string[] = [];
  let seen = 0;
  const markerIn = (value: string): string | undefined => {
    const v = value.toLowerCase();
    return lower.find((m) => v.includes(m));
  };
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      const marker = markerIn(node);
      if (marker !== undefined) problems.push(`${path}: untrusted ${marker} outside a TextRun`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      // Action payloads are posted back to the bot, which re-validates them; they are never rendered.
      if (key === 'data') continue;
      // So are a choice set's values (its selected and offered choices): only the choices' titles are shown.
      if (record.type === 'Input.ChoiceSet' && key === 'value') continue;
      if (record.type === 'Input.ChoiceSet' && key === 'choices' && Array.isArray(value)) {
        value.forEach((c: unknown, i) =>
          walk(
            typeof c === 'object' && c !== null ? (c as { title?: unknown }).title : c,
            `${path}.choices[${i}].title`,
          ),
        );
        continue;
      }
      if (record.type === 'TextRun' && key === 'text' && typeof value === 'string') {
        const marker = markerIn(value);
        if (marker === undefined) continue;
        seen++;
        if (UNSANITISED.test(value)) problems.push(`${path}.text: unsanitised TextRun for ${marker}`);
        if (value.length > MAX_RUN_LENGTH) problems.push(`${path}.text: ${value.length} characters for ${marker}`);
        continue;
      }
      walk(value, `${path}.${key}`);
    }
  };
  walk(card, '$');
  return { problems, seen };
}

/** Builds a fixture's cards with fresh marked hostile strings; returns the cards and the markers handed out. */
function build(name: string, payloads: readonly Hostile[]): { cards: AdaptiveCard[]; markers: string[] } {
  const markers: string[] = [];
  const h = (): string => {
    const marker = `ZQ${markers.length}QZ`;
    markers.push(marker);
    return `${marker}${payloads[markers.length % payloads.length]?.value ?? ''}`;
  };
  const fixture = CARD_FIXTURES[name];
  if (!fixture) throw new Error(`no fixture for ${name}`);
  return { cards: fixture(h), markers };
}

describe('property: every card builder keeps untrusted strings in sanitised TextRuns (rows 13, 14)', function () {
  this.timeout(fuzzing ? 0 : 60_000);
  const builders = discoverBuilders();

  it('finds the builders, and every exported builder has a fixture (a new card cannot be forgotten)', () => {
    assert.ok(builders.length >= 20, builders.join());
    assert.deepEqual(
      builders.filter((b) => !(b in CARD_FIXTURES)),
      [],
      'add a fixture to tests/property/card-fixtures.ts',
    );
    assert.deepEqual(
      Object.keys(CARD_FIXTURES).filter((f) => !builders.includes(f)),
      [],
    );
  });

  it('the checker itself catches a markdown leak, an unsanitised or uncapped TextRun, and titles/fallbackText', () => {
    const m = ['ZQ0QZ'];
    const run = (t: string) => ({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: t }] });
    const leaks: AdaptiveCard[] = [
      adaptiveCard([{ type: 'TextBlock', text: 'Approved by ZQ0QZ' }]),
      adaptiveCard([run('ZQ0QZ\n**x**')]),
      adaptiveCard([run(`ZQ0QZ${'A'.repeat(2_000)}`)]),
      adaptiveCard([], [], 'User ZQ0QZ'),
      adaptiveCard([], [{ type: 'Action.Execute', title: 'Investigate zq0qz', data: {} }]),
      adaptiveCard([{ type: 'FactSet', facts: [{ title: 'User', value: 'ZQ0QZ' }] }]),
    ];
    for (const card of leaks) assert.equal(placementProblems(card, m).problems.length, 1, JSON.stringify(card));
    const fine = adaptiveCard([run('ZQ0QZ [x](y)')], [{ type: 'Action.Execute', title: 'Go', data: { a: 'ZQ0QZ' } }]);
    assert.deepEqual(placementProblems(fine, m), { problems: [], seen: 1 });
  });

  it('every builder, any hostile input: untrusted text only in sanitised, capped TextRuns', () => {
    fc.assert(
      fc.property(fc.array(hostilePayload, { minLength: 7, maxLength: 7 }), (payloads) => {
        for (const name of builders) {
          const { cards, markers } = build(name, payloads);
          let seen = 0;
          for (const card of cards) {
            const result = placementProblems(card, markers);
            assert.deepEqual(result.problems, [], `${name}: ${result.problems.slice(0, 5).join('; ')}`);
            seen += result.seen;
          }
          // A fixture that hands out hostile strings must show at least one, or it tests nothing.
          if (markers.length > 0) assert.ok(seen > 0, `${name}: no untrusted string reached the card`);
        }
      }),
      runs(10),
    );
  });

  it('hostile input never makes a card the Adaptive Cards SDK rejects', () => {
    fc.assert(
      fc.property(fc.array(hostilePayload, { minLength: 3, maxLength: 3 }), (payloads) => {
        for (const name of builders) {
          for (const card of build(name, payloads).cards) assert.deepEqual(cardProblems(card), [], name);
        }
      }),
      runs(2),
    );
  });
});
