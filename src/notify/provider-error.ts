// What a provider's refusal means for the next try. Permanent: the same request will be refused again
// (bad number, rejected mailbox, bad credentials), so retrying only spams the provider. Transient: a
// timeout, a 5xx, a dropped connection, where the same request may well succeed a little later.
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** HTTP status or SMTP reply code, when the provider answered at all. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Any error from a provider call, as a ProviderError; unknown errors count as transient. */
export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(message, false);
}
