import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from './logger.js';

/** Header that carries a request's id in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What the server knows about one HTTP request while it runs; read by logs, metrics and the GraphQL layer. */
export interface RequestState {
  readonly requestId: string;
  readonly req: IncomingMessage;
  /** Logs with the request id (and, once known, the API key id). */
  logger: Logger;
  /** Id of the API key that authenticated the request. */
  keyId?: string;
  /** GraphQL operation name, for the access log and the latency metric. */
  operation?: string;
  /** Why the request was refused before it ran (`unauthenticated`, `rate_limited`, …), counted once. */
  refused?: string;
}

const store = new AsyncLocalStorage<RequestState>();

/** Runs `fn` with `state` as the current request (see {@link currentRequest}). */
export function runInRequest<T>(state: RequestState, fn: () => T): T {
  return store.run(state, fn);
}

/** The request being served by the calling code, if any. */
export function currentRequest(): RequestState | undefined {
  return store.getStore();
}

/**
 * The id of a request: the client's `x-request-id` when it is a plain token (letters, digits,
 * `.`, `_`, `:`, `-`; at most 128), so that a proxy's id links both logs; otherwise a new UUID.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

/**
 * For a request that waits its turn without reading its body (an upload waiting for a place):
 * turns the idle-connection timeout off, and returns the function that turns it back on once the
 * body is read again. Without it the waiting connection would be closed as idle.
 */
export function suspendIdleTimeout(req: IncomingMessage): () => void {
  const socket = req.socket;
  const idle = socket.timeout ?? 0;
  socket.setTimeout(0);
  return () => socket.setTimeout(idle);
}
