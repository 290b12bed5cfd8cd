/** A read's failure as a posture check sees it: what is missing (a permission, a licence) or which service failed. */
import { isCodedError } from '../errors';
import type { Need, Source } from './types';

// Graph's 403 for reports and sign-in data in a tenant without Entra ID P1/P2.
const NON_PREMIUM = /nonpremium|license|licence/i;

/** What a failed read lacks: Graph's or Exchange's coded errors become a Need; anything else is a bug and is rethrown. */
export function needOf(error: unknown, licence?: string): Need {
  if (!isCodedError(error)) throw error;
  const service = error.details.service === 'exchange' ? 'exchange' : 'graph';
  if (error.code === 'graph_forbidden') {
    const graphCode = typeof error.details.graphCode === 'string' ? error.details.graphCode : '';
    if (licence !== undefined && NON_PREMIUM.test(graphCode)) return { kind: 'licence', name: licence };
    const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
    if (permission !== null) return { kind: 'permission', name: permission };
  }
  return { kind: 'failed', service, code: error.code };
}

/** Runs a read; its value, or what it lacks. */
export async function settle<T>(read: () => Promise<T>, licence?: string): Promise<Source<T>> {
  try {
    return { kind: 'read', value: await read() };
  } catch (error) {
    return { kind: 'missing', need: needOf(error, licence) };
  }
}

/** The same for a value already at hand (a `$batch` item): it, or what it lacks. */
export function attempt<T>(read: () => T): Source<T> {
  try {
    return { kind: 'read', value: read() };
  } catch (error) {
    return { kind: 'missing', need: needOf(error) };
  }
}
