// Recomputes a draw off the main thread: a large draw takes seconds on a phone, and the page should stay
// responsive meanwhile. Same module as the server and the CLI (src/domain/verify.ts).
import { type PublishedDraw, verifyPublishedDraw } from '../../src/domain/verify.ts';

const scope = self as unknown as {
  addEventListener(type: 'message', fn: (ev: MessageEvent<PublishedDraw>) => void): void;
  postMessage(message: unknown): void;
};

scope.addEventListener('message', (ev) => {
  try {
    scope.postMessage({ ok: true, report: verifyPublishedDraw(ev.data) });
  } catch (err) {
    scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
