import type { IncomingMessage } from 'node:http';

/**
 * The body of a request as an async iterable of chunks, pulled one at a time (so a slow consumer
 * holds back the client through TCP flow control: memory stays flat).
 *
 * Unlike the stream's own iterator, leaving the loop early does not destroy the request: the
 * socket stays usable to answer with an error. A client that goes away before the body ends makes
 * the iteration throw.
 */
export function requestChunks(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
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
        if (!ended && !req.complete) failure ??= new Error('the client closed the connection before the body ended');
        notify();
      };
      req.on('readable', notify);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
      const detach = () => {
        req.off('readable', notify);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            if (failure) {
              detach();
              throw failure;
            }
            const chunk = req.read() as Buffer | null;
            if (chunk !== null) return { value: chunk, done: false };
            if (ended || req.readableEnded) {
              detach();
              return { value: undefined, done: true };
            }
            if (req.destroyed) {
              failure ??= new Error('the request stream was destroyed before the body ended');
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          detach();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
