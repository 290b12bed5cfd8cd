/** Who manages whom in the demo directory (Graph's `manager` navigation property), beside DemoState. */
import type { DemoState } from './state';

const tables = new WeakMap<DemoState, Map<string, string>>();

/** User id → manager's user id. */
export function managersOf(state: DemoState): Map<string, string> {
  let table = tables.get(state);
  if (!table) {
    table = new Map();
    tables.set(state, table);
  }
  return table;
}
