// A circuit breaker for the registry: after `failures` failed requests in a row it stops asking for
// `cooldownMs`, so a registry that is down costs a binding nothing but an "unknown" answer instead of
// the whole timeout-and-retries wait; one trial request after the cooldown closes or reopens it.

export type BreakerState = 'closed' | 'open' | 'half_open';

export class CircuitBreaker {
  private consecutive = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.consecutive < this.failures) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half_open' : 'open';
  }

  /** Whether a request may go out now; in half-open state only one trial at a time. */
  allow(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutive = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.consecutive++;
    if (this.consecutive >= this.failures) this.openedAt = this.now();
  }
}
