/**
 * Building blocks for text that may come from another node (hostile until
 * validated): bounded lengths, no control or bidi-override characters, and
 * only http/https URLs. Pure valibot, no Node built-ins: the book imports it.
 */
import * as v from 'valibot';

/** C0/C1 controls, line/paragraph separators and bidi overrides/isolates (used to spoof text direction). Joiners (U+200C/D, used in Persian) stay allowed. */
const FORBIDDEN_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** A name shown to people: a node's or a service's. Letters and digits of any script, spaces, dot, dash, underscore. */
export const DisplayName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(64),
  v.regex(/^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._\u200C\u200D-]*$/u, 'letters, digits, spaces, ".", "_" or "-", starting with a letter or digit'),
);

/** A one-paragraph description: any printable text up to 280 characters. */
export const Description = v.pipe(
  v.string(),
  v.maxLength(280),
  v.check((text) => !FORBIDDEN_CHARS.test(text), 'no control or direction-override characters'),
);

/** A machine identifier: lower-case letters, digits and dashes. */
export const Slug = v.pipe(v.string(), v.minLength(1), v.maxLength(32), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'));

/** An absolute http or https URL with no spaces or credentials (javascript:, data: and the like are refused). */
export const WebUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.regex(/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i, 'an http:// or https:// URL without spaces or credentials'),
  v.url(),
  v.check((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL'),
);

/** An IPv4 or IPv6 address in text form (no zone index). */
export const IpAddress = v.pipe(
  v.string(),
  v.maxLength(45),
  v.regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]{2,39}(?::\d{1,3}(?:\.\d{1,3}){3})?)$/, 'an IPv4 or IPv6 address'),
);

/** An address prefix such as 10.1.2.0/24 or fd00::/8. */
export const IpPrefix = v.pipe(
  v.string(),
  v.maxLength(49),
  v.regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]{2,39})\/\d{1,3}$/, 'an address prefix such as 10.1.2.0/24'),
);

/** A network interface name as Linux allows it (checked before any use in a command). */
export const InterfaceName = v.pipe(v.string(), v.minLength(1), v.maxLength(15), v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an interface name'));

/** An ISO 8601 timestamp as produced by Date#toISOString. */
export const Timestamp = v.pipe(v.string(), v.maxLength(30), v.isoTimestamp());
