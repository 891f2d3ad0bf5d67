/**
 * Run `task` after `delayMs` of quiet, never twice at once; a request made while it runs
 * schedules exactly one more run. Used to turn bursts of file-system events into single
 * status refreshes.
 */
export function coalesce(
  task: () => Promise<void>,
  delayMs: number,
): { request(): void; cancel(): void } {
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let cancelled = false;
  const fire = () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = true;
    task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again && !cancelled) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (cancelled) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, delayMs);
  };
  return {
    request: schedule,
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
