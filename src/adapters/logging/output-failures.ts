import type SonicBoom from 'sonic-boom';

/** Who hears that an output cannot be written: once per episode, and once per line it drops. */
export interface OutputFailureWatch {
  /** The output refused a write; said once until a write succeeds again. */
  readonly failing: (output: string, code: string) => void;
  /** Its write succeeded after failing. */
  readonly recovered: (output: string) => void;
  readonly lost: () => void;
}

/** While writes fail, what waits is tried again this often, so the output resumes without waiting for a new line. */
const RETRY_MS = 1_000;

/**
 * A write that fails is an episode until one succeeds; each line dropped meanwhile is counted. Once the stream's
 * bound waits, sonic-boom drops new lines without writing, so nothing would try the waiting ones again: a timer
 * does, with an empty write, until one succeeds. `stop` ends the watch, for an output being closed.
 */
export function watchOutputFailures(
  stream: SonicBoom,
  name: string,
  watch: OutputFailureWatch,
  // An empty write in the stream's own kind (text, or buffers): a write is what makes sonic-boom try what waits.
  nudge: () => void = () => stream.write(''),
): { readonly stop: () => void } {
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const stopRetrying = (): void => {
    clearInterval(retry);
    retry = undefined;
  };
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Once closed, what the last flush meets is nobody's concern.
    if (retry !== undefined || stopped) return;
    watch.failing(name, error.code ?? error.name);
    retry = setInterval(() => {
      try {
        nudge();
      } catch {
        // Ended meanwhile (the exit's last drain): it takes no more writes, and a throw here would be uncaught.
        stopRetrying();
      }
    }, RETRY_MS);
    retry.unref();
  });
  stream.on('write', () => {
    if (retry === undefined) return;
    stopRetrying();
    watch.recovered(name);
  });
  stream.on('drop', watch.lost);
  stream.once('close', stopRetrying);
  return {
    stop: () => {
      stopped = true;
      stopRetrying();
    },
  };
}
