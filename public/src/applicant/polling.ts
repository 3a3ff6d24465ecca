// The signed-in page asks for news every half minute. Polling pauses while the tab is hidden: a phone
// in a pocket should not spend data or battery.
import { POLL_MS, state } from './shared.ts';

let pollTimer = 0;
let poll: () => void = () => {};

export function startPolling(tick: () => void): void {
  stopPolling();
  poll = tick;
  pollTimer = window.setInterval(() => {
    if (document.hidden) return;
    poll();
  }, POLL_MS);
}

export function stopPolling(): void {
  window.clearInterval(pollTimer);
  pollTimer = 0;
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && pollTimer && Date.now() - state.lastRefresh > POLL_MS) poll();
});
