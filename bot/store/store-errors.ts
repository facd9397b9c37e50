/** The store cannot answer now (disk full, read-only, locked, gone): intake answers 503, never 500. */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Someone else changed the record first (version check, or the alert was committed meanwhile). */
export class ConflictError extends Error {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
