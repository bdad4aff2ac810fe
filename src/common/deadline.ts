/**
 * `promise`, or a rejection with `message` once `ms` have passed and any answer already received has been read.
 * The timer is cleared as soon as either settles and never keeps the process alive; a rejection of `promise` after
 * the deadline is ignored.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // the rejection waits for the event loop's next check phase: after a synchronous stretch longer than `ms`, timers
    // run before the loop reads the sockets, and an answer that arrived meanwhile must still win (the immediate
    // stays referenced: an unreferenced one would let the loop block in its poll phase past it)
    timer = setTimeout(() => setImmediate(() => reject(new Error(message))), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
