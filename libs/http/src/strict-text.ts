import { validationFailed, type FieldError } from '@forum/errors';

/**
 * Text arrives as UTF-8 and is kept exactly as sent, so bytes that are not UTF-8 are refused,
 * never replaced with U+FFFD (which would store something other than what was sent).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or undefined when they are not well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const notUtf8 = (field: string): FieldError => ({ field, code: 'invalid_utf8', message: 'must be valid UTF-8' });

/**
 * The 400 for a body that is not UTF-8, naming the fields whose strings hold the broken bytes:
 * decoded leniently, the broken sequences are the fields' U+FFFD. When the body is not JSON even
 * then, no field can be named.
 */
export function bodyNotUtf8(bytes: Uint8Array): Error {
  let lenient: unknown;
  try {
    lenient = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    return validationFailed([notUtf8('(body)')]);
  }
  const fields = replacedIn(lenient, []);
  return validationFailed((fields.length ? fields : ['(body)']).map(notUtf8));
}

function replacedIn(value: unknown, path: string[]): string[] {
  if (typeof value === 'string') return value.includes('\uFFFD') ? [path.join('.') || '(body)'] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => replacedIn(inner, [...path, key]));
}

/**
 * A query string as a prototype-less object (so `__proto__` is a key like any other, refused
 * when unknown); a repeated key gives an array. A component whose percent-encoded bytes are not
 * UTF-8 is a 400 naming it.
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = Object.create(null);
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (key === undefined) throw validationFailed([notUtf8('query')]);
    const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
    if (value === undefined) throw validationFailed([notUtf8(`query.${key}`)]);
    const before = parsed[key];
    parsed[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return parsed;
}

/** Form-style percent-decoding to bytes ("+" is a space; a "%" not followed by two hex digits stays), then UTF-8. */
function decodeComponent(component: string): string | undefined {
  const bytes = Buffer.from(component.replace(/\+/g, ' '), 'latin1');
  const out = Buffer.alloc(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? component.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out[length++] = parseInt(hex, 16);
      i += 2;
    } else out[length++] = bytes[i] ?? 0;
  }
  return decodeUtf8(out.subarray(0, length));
}
