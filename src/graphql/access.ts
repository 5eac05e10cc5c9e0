import type { ApiKeyScopes } from '../db/database.js';
import { apiError, notFound } from './errors.js';

/** The API key behind a request. */
export interface ApiKeyIdentity {
  readonly id: string;
  readonly name: string;
  readonly scopes: ApiKeyScopes;
}

/**
 * What the caller of one request may do. Built once per request from its API key; every resolver
 * and loader asks it. Objects of workflows the key cannot read are reported as not found, so a
 * key learns nothing about other workflows, not even that they exist.
 */
export class Access {
  private readonly readable: ReadonlySet<string>;
  private readonly writable: ReadonlySet<string>;

  private constructor(
    /** The key, when one was presented and accepted. */
    readonly key: ApiKeyIdentity | undefined,
    /** Why the request is not authenticated (no key, unknown key, revoked key…). */
    readonly rejection: string | undefined,
  ) {
    const scopes = key?.scopes;
    this.writable = new Set(scopes?.write ?? []);
    this.readable = new Set([...(scopes?.read ?? []), ...(scopes?.write ?? [])]);
  }

  /** A request without an accepted key; `reason` explains why, for the UNAUTHENTICATED error. */
  static anonymous(reason: string): Access {
    return new Access(undefined, reason);
  }

  /** A request made with this key. */
  static forKey(key: ApiKeyIdentity): Access {
    return new Access(key, undefined);
  }

  get authenticated(): boolean {
    return this.key !== undefined;
  }

  get admin(): boolean {
    return this.key?.scopes.admin === true;
  }

  canRead(workflowId: string): boolean {
    return this.admin || this.readable.has(workflowId);
  }

  canWrite(workflowId: string): boolean {
    return this.admin || this.writable.has(workflowId);
  }

  /** Workflows this key may read, or undefined for "all" (admin). */
  readableWorkflowIds(): readonly string[] | undefined {
    return this.admin ? undefined : [...this.readable];
  }

  /** Throws UNAUTHENTICATED unless a key was accepted. */
  requireAuthenticated(): void {
    if (!this.authenticated) throw this.unauthenticatedError();
  }

  /** Throws UNAUTHENTICATED or FORBIDDEN unless the key is an admin key. */
  requireAdmin(action: string): void {
    this.requireAuthenticated();
    if (!this.admin) throw apiError('FORBIDDEN', `${action} requires an admin API key`);
  }

  /**
   * Throws unless the key may write to the workflow holding an object: NOT_FOUND when it cannot
   * even read it (as if it did not exist), FORBIDDEN when it can read but not write.
   */
  requireWrite(workflowId: string, typename: string, id: string): void {
    this.requireAuthenticated();
    if (!this.canRead(workflowId)) throw notFound(typename, id);
    if (!this.canWrite(workflowId)) {
      throw apiError('FORBIDDEN', `this API key may read but not write ${typename} ${id} (it has no write scope on its workflow)`);
    }
  }

  unauthenticatedError() {
    return apiError('UNAUTHENTICATED', this.rejection ?? 'an API key is required');
  }
}
