/**
 * The one rule for text a person types into the bot (command arguments, modal fields, reasons):
 * no control characters. Tab, line feed and carriage return are ordinary typing; the rest of the
 * C0 and C1 sets (NUL, SOH, ESC, DEL, …) never come from a keyboard and would reach CompShare,
 * the database, cards and logs invisibly.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}
