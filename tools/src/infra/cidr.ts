/** An IPv4 CIDR block as its first and last address, or undefined when malformed. */
export function parseCidr(cidr: string): { first: number; last: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = address - (address % size);
  return { first, last: first + size - 1 };
}

export const contains = (outer: { first: number; last: number }, inner: { first: number; last: number }) =>
  inner.first >= outer.first && inner.last <= outer.last;

export const overlaps = (a: { first: number; last: number }, b: { first: number; last: number }) => a.first <= b.last && b.first <= a.last;
