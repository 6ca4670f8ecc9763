// The playground's URL fragment: `#code=<base64url of the UTF-8 source>` or `#example=<id>`, each
// optionally followed by `&run` to run the program as soon as the page has loaded it.

/**
 * The source as base64url (RFC 4648 §5) of its UTF-8 bytes, without padding.
 * @param {string} source
 * @returns {string}
 */
export function encodeSource(source) {
  const bytes = new TextEncoder().encode(source);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The source a base64url string stands for; padding is optional, and standard base64's `+` and `/`
 * are accepted too (a link pasted through a tool that re-encoded it).
 * @param {string} text
 * @returns {string}
 */
export function decodeSource(text) {
  let b64 = decodeURIComponent(text).replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('#code=: not base64url (letters, digits, - and _ only)');
  b64 = b64.replace(/=+$/, '');
  if (b64.length % 4 === 1) throw new Error(`#code=: a base64url text cannot be ${b64.length} characters long`);
  b64 += '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('#code=: the decoded bytes are not UTF-8 text');
  }
}

/**
 * What a fragment asks for: `{ code }` (decoded) or `{ example }` (an id), `run` when `&run` is
 * there, `error` when `#code=` could not be read; `null` for a fragment that asks for nothing.
 * @param {string} hash `location.hash`, with or without its `#`
 * @returns {{ code?: string, example?: string, run: boolean, error?: string } | null}
 */
export function parseFragment(hash) {
  const text = hash.replace(/^#/, '');
  if (text === '') return null;
  const fields = new Map();
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    fields.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  const run = fields.has('run');
  if (fields.has('code')) {
    try {
      return { code: decodeSource(fields.get('code')), run };
    } catch (e) {
      return { run: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  if (fields.has('example')) return { example: decodeURIComponent(fields.get('example')), run };
  return null;
}
