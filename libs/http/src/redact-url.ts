/** Query parameters whose values may be credentials: never written to a log. */
const SECRET_NAME = /token|passw|secret|key|code|signature|sig$|auth|session|credential|jwt/i;

/**
 * The request URL as it may be logged: the path, and the query with the value of every
 * credential-looking parameter (`access_token`, `password`, `api_key`, `code`, ...) replaced.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is matched as it is written
      }
      return eq >= 0 && SECRET_NAME.test(decoded) ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, at)}?${query.join('&')}`;
}
