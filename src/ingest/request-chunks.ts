import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** How {@link pullChunks} treats the ways a stream can stop. */
export interface PullOptions {
  /** On the stream's `close`: the error to end with, when closing before the end means the sender went away. */
  readonly closedEarly?: () => Error | undefined;
  /** The error to end with when the stream is destroyed before its end. */
  readonly destroyedMessage: string;
  /** Called when the loop stops before the stream's end: the consumer left early, or an error ended it. */
  readonly onAbandon?: () => void;
}

/**
 * The chunks of a readable stream as an async iterable, pulled one at a time with `read()` (so a
 * slow consumer holds back the sender through flow control: memory stays flat). Unlike the
 * stream's own iterator, leaving the loop early does not destroy the stream; `onAbandon` says
 * what to do with the rest instead. Listeners are removed however the loop ends.
 */
export function pullChunks(stream: Readable, options: PullOptions): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
      let ended = false;
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const notify = () => {
        const resolve = wake;
        wake = undefined;
        resolve?.();
      };
      const onEnd = () => {
        ended = true;
        notify();
      };
      const onError = (error: Error) => {
        failure ??= error;
        notify();
      };
      const onClose = () => {
        if (!ended) failure ??= options.closedEarly?.();
        notify();
      };
      stream.on('readable', notify);
      stream.on('end', onEnd);
      stream.on('error', onError);
      if (options.closedEarly) stream.on('close', onClose);
      try {
        for (;;) {
          if (failure) throw failure;
          const chunk = stream.read() as Buffer | null;
          if (chunk !== null) {
            yield chunk;
            continue;
          }
          if (ended || stream.readableEnded) return;
          if (stream.destroyed) {
            failure ??= new Error(options.destroyedMessage);
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        stream.off('readable', notify);
        stream.off('end', onEnd);
        stream.off('error', onError);
        stream.off('close', onClose);
        if (!ended) options.onAbandon?.();
      }
    },
  };
}

/**
 * The body of a request as an async iterable of chunks (see {@link pullChunks}). Leaving the loop
 * early keeps the socket usable to answer with an error. A client that goes away before the body
 * ends makes the iteration throw.
 */
export function requestChunks(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return pullChunks(req, {
    closedEarly: () => (req.complete ? undefined : new Error('the client closed the connection before the body ended')),
    destroyedMessage: 'the request stream was destroyed before the body ended',
  });
}
