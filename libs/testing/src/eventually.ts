/** Retries `assertion` until it passes or `timeoutMs` is over (then its last failure is thrown): for effects that land after the answer. */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
