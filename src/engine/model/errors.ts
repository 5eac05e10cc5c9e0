/** Codes of {@link ProfileStateError}. */
export type ProfileStateErrorCode = 'BAD_STATE' | 'VERSION_MISMATCH' | 'HEADER_MISMATCH';

/**
 * A serialized profile state that cannot be read or merged: wrong version, a different header,
 * or a malformed field. Carries a `code` so callers can tell the cases apart.
 */
export class ProfileStateError extends Error {
  override readonly name = 'ProfileStateError';
  constructor(
    readonly code: ProfileStateErrorCode,
    message: string,
  ) {
    super(message);
  }
}
