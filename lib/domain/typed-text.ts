/**
 * Text a person typed (names, banks, goods, reasons, file names): what fundflow stores, shows, mails
 * and prints into bank files. Refused — never silently stripped — when it holds a character nobody
 * types on purpose and that can hide or disguise what the text says:
 *
 * - control characters (C0, DEL, C1; NUL among them), except tab and line feed in multi-line text;
 *   the line and paragraph separators U+2028/U+2029 in one-line text;
 * - bidirectional formatting characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069
 *   isolates, and the marks U+200E, U+200F, U+061C): "Trojan Source" (CVE-2021-42574) — a payee name
 *   or file name that reads differently from what it is;
 * - lone surrogates: not text at all (they break JSON, DynamoDB and mail encoders downstream).
 *
 * What is kept is the text as meant: line endings as LF (browsers send a textarea's as CRLF), surrounding
 * whitespace trimmed, Unicode NFC (the same letters typed on two keyboards are the same string).
 */

export interface TypedTextOptions {
  /** A reason or note: tab and line feed are allowed inside it. */
  multiline?: boolean;
}

const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Line endings as a textarea means them: CRLF and a lone CR become LF. */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Why this text is refused, in words a person can act on (中文 + English), or null when it is fine.
 * Judged on what would be kept before NFC (line endings normalised, trimmed): a trailing line break
 * pasted with a name is not a problem, one inside it is.
 */
export function typedTextProblem(text: string, options: TypedTextOptions = {}): string | null {
  const source = trimmed(text, options);
  const surrogate = LONE_SURROGATE.exec(source)?.[0];
  if (surrogate !== undefined) {
    return `含有损坏的字符（${codePoint(surrogate)}），请重新输入。Contains a broken character (${codePoint(surrogate)}); type it again.`;
  }
  const bidi = BIDI_CONTROL.exec(source)?.[0];
  if (bidi !== undefined) {
    return `含有不可见的文字方向控制符 ${codePoint(bidi)}，它能让文字看起来与实际不同；请删除后重新输入。Contains the invisible text-direction control ${codePoint(bidi)}, which can make text look different from what it is; remove it and type it again.`;
  }
  const control = (options.multiline ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE).exec(source)?.[0];
  if (control !== undefined) {
    return options.multiline || !/[\n\r\u2028\u2029]/.test(control)
      ? `含有控制字符 ${codePoint(control)}，请删除后重新输入。Contains the control character ${codePoint(control)}; remove it and type it again.`
      : `只能是一行文字（含有换行 ${codePoint(control)}）。Must be one line (contains the line break ${codePoint(control)}).`;
  }
  return null;
}

function trimmed(text: string, options: TypedTextOptions): string {
  return (options.multiline ? normaliseLineEndings(text) : text).trim();
}

/** The text as kept: line endings normalised (multi-line), trimmed, NFC. Only for text without a problem. */
export function keptTypedText(text: string, options: TypedTextOptions = {}): string {
  return trimmed(text, options).normalize('NFC');
}

/**
 * Names every plain object has through its prototype (`__proto__`, `constructor`, `toString`, …): an
 * id equal to one of them reads back as something else wherever ids key an object, so none is an id.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

export function isPrototypeKey(id: string): boolean {
  return PROTOTYPE_KEYS.has(id);
}
