/** A failed outbound call (Teams or an escalation webhook), with what the retry policy needs. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'SendError';
  }
}
