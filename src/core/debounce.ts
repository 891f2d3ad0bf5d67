/**
 * Run `task` `delayMs` after the last request, never twice at once; requests made while it
 * runs schedule exactly one more run (so the last change is always seen). A failed run goes to
 * `onError` (a background refresh has no caller to throw to, but its failure must be seen).
 */
export function debounced(
  task: () => Promise<void>,
  delayMs: number,
  onError: (e: unknown) => void,
) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const fire = () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = task()
      .catch(onError)
      .finally(() => {
        running = null;
        if (again && !closed) {
          again = false;
          request();
        }
      });
  };
  const request = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, delayMs);
  };
  return {
    request,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
