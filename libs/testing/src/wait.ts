/** Polls `url` until it answers `status` or the time is up; resolves to the last status (0: no answer). */
export async function waitForStatus(url: string, status = 200, timeoutMs = 15000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.status, () => 0);
    if (last === status) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}
