import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The documented Graph examples copied from shared/graph-examples (see SOURCES.md there). */
export const fixtureDir = join(__dirname, '../../../fixtures/graph-examples');

export function fixtureNames(): string[] {
  return readdirSync(fixtureDir).filter((f) => f.endsWith('.json'));
}

/**
 * Load a fixture. The signIns example has a trailing comma (SOURCES.md); strip trailing commas here, in the
 * loader only, so production parsing stays strict JSON.
 */
export function loadFixture(name: string): unknown {
  const text = readFileSync(join(fixtureDir, name), 'utf8');
  return JSON.parse(text.replace(/,(\s*[\]}])/g, '$1')) as unknown;
}
