import type { IncomingMessage, ServerResponse } from 'node:http';

/** Methods a cross-origin caller may use: GraphQL (GET, POST) and the upload route (PUT). */
const ALLOWED_METHODS = 'GET, POST, PUT, OPTIONS';
/** Request headers a cross-origin caller may send. */
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id';
/** Response headers a cross-origin caller may read. */
const EXPOSED_HEADERS = 'x-request-id, retry-after';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/** The CORS behaviour of the server. */
export interface CorsPolicy {
  /**
   * Adds the CORS headers a request's origin is entitled to; answers a preflight (`OPTIONS` with
   * `Access-Control-Request-Method`) itself and returns true, in which case the request is done.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean;
}

/** The origin (`scheme://host[:port]`) a request was sent to, as the browser names it. */
function ownOrigin(req: IncomingMessage, publicUrl: string | undefined): string[] {
  const origins: string[] = [];
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  const host = req.headers.host;
  if (host) origins.push(`http://${host}`, `https://${host}`);
  return origins;
}

/**
 * CORS from an allow-list (`CORS_ORIGINS`). An allowed origin gets `Access-Control-Allow-Origin`
 * set to itself (or `*` when the list is `*`); any other origin gets no CORS header, so browsers
 * keep the answer from it. The API authenticates with a bearer header, never with cookies, so
 * `Access-Control-Allow-Credentials` is never sent. Same-origin requests (GraphiQL served by the
 * API itself) need no CORS and always work.
 *
 * @example
 * const cors = corsPolicy(['https://app.example.com'], undefined);
 * if (cors.apply(req, res)) return; // a preflight, answered
 */
export function corsPolicy(allowed: readonly string[], publicUrl: string | undefined): CorsPolicy {
  const any = allowed.includes('*');
  const list = new Set(allowed);
  return {
    apply(req, res) {
      const origin = req.headers.origin;
      const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
      if (origin === undefined) return false;
      res.setHeader('Vary', 'Origin');
      const permitted = any || list.has(origin) || ownOrigin(req, publicUrl).includes(origin);
      if (permitted) {
        res.setHeader('Access-Control-Allow-Origin', any && !list.has(origin) ? '*' : origin);
        res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      }
      if (!preflight) return false;
      if (permitted) {
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
      }
      res.writeHead(204, { 'content-length': '0' });
      res.end();
      return true;
    },
  };
}
