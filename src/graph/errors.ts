/** A failed Microsoft Graph call and the retry policy every Graph caller shares (evidence, directory sync, app install). */
import { setTimeout as sleep } from 'node:timers/promises';

/** A Graph call that failed. Status 0 means the connection failed before an answer came. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }

  /** Throttling, a busy service, a gateway hiccup or a dropped connection: worth another try. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 500 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /**
   * A refusal that asking again cannot change (a name SharePoint does not allow, a malformed or
   * oversized request, no permission): the item is marked failed for an administrator rather than
   * retried for ever. 401 (a token problem), 408, 409, 412 and 423 (locked) may pass by themselves.
   */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && ![401, 408, 409, 412, 423, 429].includes(this.status);
  }
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** How long to wait before the given (1-based) retry: Retry-After when sent, else doubling. */
export function retryDelay(error: GraphHttpError, attempt: number, policy: RetryPolicy): number {
  return error.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
}

/**
 * Runs `call` until it succeeds, a permanent error occurs, the attempts run out, or the server
 * asks for a wait longer than the policy allows. The last error is rethrown.
 */
export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof GraphHttpError) || !error.transient || attempt >= policy.maxAttempts) throw error;
      const delay = retryDelay(error, attempt, policy);
      if (delay > policy.maxDelayMs) throw error;
      await sleep(delay);
    }
  }
}

export function parseRetryAfter(value: string | null | undefined): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
