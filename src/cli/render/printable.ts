/** Control characters a terminal may act on: C0 except tab and line feed, DEL, and C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` with every control character a terminal would act on written as a visible `\xNN`
 * escape. The readable reports print values, column names and tokens taken from the user's
 * files: raw, an ESC could move the cursor or clear the screen, a CR overwrite the line, a NUL
 * make `grep` call the report binary. Tab and line feed are left as they are.
 *
 * @example
 * printable('a\u001b[2Jb'); // 'a\\x1b[2Jb'
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
