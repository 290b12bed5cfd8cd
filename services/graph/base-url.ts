import { CodedError } from '../errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Graph root, validated. https anywhere; plain http only on loopback (the demo tenant), where the token is
 * sent too because it never leaves the machine. Any other http root is refused rather than leak a token.
 */
export function normaliseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CodedError('config_invalid', 'GRAPH_BASE_URL is not a URL', { setting: 'GRAPH_BASE_URL' });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new CodedError(
      'config_invalid',
      'GRAPH_BASE_URL must be https (plain http is allowed only on 127.0.0.1/localhost)',
      {
        setting: 'GRAPH_BASE_URL',
      },
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}
