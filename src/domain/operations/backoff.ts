/** Polls start 2 s apart and double up to 20 s (issue 10), so a long wait costs a read every 20 s. */
export const FIRST_POLL_MS = 2_000;
export const MAX_POLL_MS = 20_000;

export function nextPollDelay(previous: number | undefined): number {
  return previous === undefined ? FIRST_POLL_MS : Math.min(previous * 2, MAX_POLL_MS);
}
