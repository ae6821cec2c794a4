/**
 * What an uploaded file is, decided from its bytes (DESIGN.md decision 15), never from its name or the
 * type its uploader declared: people upload these files and other people open them, so a file that
 * claims to be an invoice but is a web page with a script must never get the chance to run.
 *
 * Only the kinds the policy needs exist here (POLICY 2.1(2) evidence, D6 consent email, D9 invoice
 * copy, 3.2 weekly reconciliation inputs): PNG, JPEG, WebP, GIF, PDF, an email (message/rfc822), an OFD
 * invoice (a zip container with its `OFD.xml`), the XML of a fully digital invoice (数电票, root
 * `EInvoice`), a CSV (UTF-8 or GBK text), an XLSX workbook and a zip of CSV files only (Alipay's
 * `.csv.zip` statement). There is no SVG or HTML
 * kind, so no policy setting can ever let one in. Binary formats are told by their magic bytes
 * (`file-type`); the text formats, which it cannot tell, are checked here, on the whole file.
 */

/**
 * `file-type` (with its tokenizers, ~70 KB minified) loaded by `await import()` on the first file
 * typed: only routes that take a file pay for it, and the voucher, approval and payment functions'
 * cold starts do not (infra/constructs/bundling.ts splits it into a chunk of its own).
 */
async function fileTypeFromBuffer(bytes: Uint8Array) {
  const { fileTypeFromBuffer: fromBuffer } = await import('file-type');
  return fromBuffer(bytes);
}

export type FileKindName =
  | 'png'
  | 'jpeg'
  | 'webp'
  | 'gif'
  | 'pdf'
  | 'eml'
  | 'ofd'
  | 'xml'
  | 'csv'
  | 'xlsx'
  | 'zip';

export interface FileKind {
  name: FileKindName;
  /** The type the file is served as, and the one its upload must have declared. */
  contentType: string;
  extension: string;
  /** A raster image: the one kind a browser may show in place (evidence thumbnails). */
  inline: boolean;
}

const KINDS: Record<FileKindName, FileKind> = {
  png: { name: 'png', contentType: 'image/png', extension: 'png', inline: true },
  jpeg: { name: 'jpeg', contentType: 'image/jpeg', extension: 'jpg', inline: true },
  webp: { name: 'webp', contentType: 'image/webp', extension: 'webp', inline: true },
  gif: { name: 'gif', contentType: 'image/gif', extension: 'gif', inline: true },
  pdf: { name: 'pdf', contentType: 'application/pdf', extension: 'pdf', inline: false },
  eml: { name: 'eml', contentType: 'message/rfc822', extension: 'eml', inline: false },
  ofd: { name: 'ofd', contentType: 'application/ofd', extension: 'ofd', inline: false },
  xml: { name: 'xml', contentType: 'application/xml', extension: 'xml', inline: false },
  csv: { name: 'csv', contentType: 'text/csv', extension: 'csv', inline: false },
  xlsx: {
    name: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    inline: false,
  },
  zip: { name: 'zip', contentType: 'application/zip', extension: 'zip', inline: false },
};

/** `file-type`'s answers that are one of our kinds (an animated PNG is still a PNG). */
const BY_FILE_TYPE: Record<string, FileKindName> = {
  png: 'png',
  apng: 'png',
  jpg: 'jpeg',
  webp: 'webp',
  gif: 'gif',
  pdf: 'pdf',
  xlsx: 'xlsx',
};

/**
 * Declared types that name the same kind as another spelling: browsers on Windows declare a `.csv` as
 * Excel's type and a zip as `x-zip-compressed` (the bytes still decide what the file is).
 */
const ALIASES: Record<string, string> = {
  'text/xml': 'application/xml',
  'application/vnd.ms-excel': 'text/csv',
  'application/x-zip-compressed': 'application/zip',
};

/** The text formats are judged on every byte: what makes a file active can sit anywhere in it. */
export const WHOLE_FILE_KINDS: ReadonlySet<FileKindName> = new Set(['eml', 'ofd', 'xml', 'csv', 'zip']);

/**
 * The file's kind, or null when its bytes are none of ours. `complete` says whether `bytes` is the
 * whole file; a text format seen only in part is `'incomplete'` (read the whole file and ask again).
 */
export async function sniffFile(
  bytes: Uint8Array,
  options: { complete: boolean } = { complete: true },
): Promise<FileKind | null | 'incomplete'> {
  const detected = await fileTypeFromBuffer(bytes);
  const binary = detected ? BY_FILE_TYPE[detected.ext] : undefined;
  if (binary) return KINDS[binary];
  // Office documents, EPUB, JAR… are zips too, and file-type names them: only a plain zip may be an OFD
  // or a zip of CSV files (an XLSX is told above, by file-type, from its [Content_Types].xml).
  const structured =
    detected?.ext === 'zip' ? 'ofd' : detected === undefined || detected.ext === 'xml' ? 'text' : null;
  if (structured === null) return null;
  if (!options.complete) return 'incomplete';
  if (structured === 'ofd') return isOfd(bytes) ? KINDS.ofd : isCsvZip(bytes) ? KINDS.zip : null;
  if (isEInvoiceXml(bytes)) return KINDS.xml;
  if (isEmail(bytes)) return KINDS.eml;
  if (isCsv(bytes)) return KINDS.csv;
  return null;
}

/** What a whole file is (null: none of our kinds). */
export async function sniffWholeFile(bytes: Uint8Array): Promise<FileKind | null> {
  const kind = await sniffFile(bytes, { complete: true });
  return kind === 'incomplete' ? null : kind;
}

/** Whether an upload declared as `declared` may be the file `kind` is (the bytes have the last word). */
export function declaredAs(declared: string, kind: FileKind): boolean {
  const type = declared.trim().toLowerCase();
  return (ALIASES[type] ?? type) === kind.contentType;
}

/** Whether a kind is among the content types a policy setting accepts (aliases included). */
export function acceptedBy(accepted: readonly string[], kind: FileKind): boolean {
  return accepted.some((type) => declaredAs(type, kind));
}

/** The response headers a stored file is served with (the page's and the bucket's). */
export interface ServingHeaders {
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
}

/** Nothing a file says is run: no script, no plugin, no form, no frame; an image may show itself. */
export function fileContentSecurityPolicy(contentType: string): string {
  const image = Object.values(KINDS).some((kind) => kind.inline && kind.contentType === contentType);
  return `sandbox; default-src 'none'${image ? "; img-src 'self'" : ''}; frame-ancestors 'none'`;
}

/**
 * How a file is served: as the kind its bytes are (never the declared type), in place only when a
 * raster image, otherwise as a download; a file that is none of our kinds is opaque bytes. The name
 * ends in the kind's extension, so even a saved copy opens as what it is.
 */
export function servingHeaders(kind: FileKind | null, storedName: string): ServingHeaders {
  const extension = kind?.extension ?? 'bin';
  const base = storedName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+/, '') || 'file';
  const name = base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
  // RFC 6266: an ASCII fallback for old clients, the real name in UTF-8.
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const disposition = `${kind?.inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
  return {
    contentType: kind?.contentType ?? 'application/octet-stream',
    contentDisposition: disposition,
    cacheControl: 'private, no-store',
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** XML 1.0 allows only tab, line feed and carriage return below U+0020 (and never NUL). */
function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** UTF-8 text (a BOM allowed) without NUL or other control characters, or null. */
function strictText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return null;
  }
  text = text.replace(/^\uFEFF/, '');
  return hasControlCharacters(text) ? null : text;
}

/** Namespaces a browser acts on (script, styling, transforms, links); an invoice needs none of them. */
const ACTIVE_NAMESPACES = [
  'www.w3.org/1999/xhtml',
  'www.w3.org/2000/svg',
  'www.w3.org/1998/math/mathml',
  'www.w3.org/1999/xsl',
  'www.w3.org/1999/xlink',
  'www.w3.org/2001/xinclude',
  'www.mozilla.org/keymaster',
];

/** Character and the five predefined entity references, resolved as an XML parser would. */
function resolveReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (_, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x'))
      return String.fromCodePoint(Math.min(Number.parseInt(lower.slice(2), 16), 0x10ffff));
    if (lower.startsWith('#'))
      return String.fromCodePoint(Math.min(Number.parseInt(lower.slice(1), 10), 0x10ffff));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[lower] ?? '';
  });
}

/**
 * The XML of a fully digital invoice (数电票): UTF-8, an optional XML declaration, then the root element
 * `EInvoice`; no document type (no entities, no external fetches), no processing instruction (an
 * `xml-stylesheet` could turn it into a page) and no namespace a browser would act on, however
 * spelled with character references.
 */
export function isEInvoiceXml(bytes: Uint8Array): boolean {
  const text = strictText(bytes);
  if (text === null) return false;
  const declaration = /^<\?xml\s[^?]*\?>/.exec(text);
  if (declaration) {
    const encoding = /encoding\s*=\s*["']([^"']+)["']/i.exec(declaration[0])?.[1];
    if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') return false;
  }
  const rest = text.slice(declaration?.[0].length ?? 0);
  if (/<!DOCTYPE|<!ENTITY|<\?/i.test(rest)) return false;
  const root = /^(?:\s|<!--(?:[^-]|-(?!-))*-->)*<EInvoice[\s/>]/.exec(rest);
  if (!root) return false;
  const resolved = resolveReferences(rest).toLowerCase();
  return !ACTIVE_NAMESPACES.some((namespace) => resolved.includes(namespace));
}

/**
 * An email as saved from a mail client (.eml, RFC 5322): a header block of `Name: value` lines (folded
 * lines start with a space or tab) with a `From:` header, ended by an empty line, and no NUL anywhere.
 * The body may be in any charset, so only the header block must be ASCII or UTF-8 (RFC 6532).
 */
export function isEmail(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = /\r?\n\r?\n/.exec(raw.toString('latin1'));
  if (!end) return false;
  const header = strictText(raw.subarray(0, end.index));
  if (header === null) return false;
  const lines = header.split(/\r?\n/);
  let from = false;
  for (const [index, line] of lines.entries()) {
    if (/^[ \t]/.test(line) && index > 0) continue;
    const name = /^([!-9;-~]+):/.exec(line)?.[1];
    if (!name) return false;
    if (name.toLowerCase() === 'from') from = true;
  }
  return from;
}

/** GB/T 33190 OFD: a zip whose entries include the package's root file `OFD.xml`. */
export function isOfd(bytes: Uint8Array): boolean {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entryName = Buffer.from('OFD.xml');
  // Local file headers (PK\3\4: name at 30, its length at 26) and central directory entries
  // (PK\1\2: name at 46, its length at 28).
  for (const [signature, lengthAt, nameAt] of [
    [Buffer.from([0x50, 0x4b, 0x03, 0x04]), 26, 30],
    [Buffer.from([0x50, 0x4b, 0x01, 0x02]), 28, 46],
  ] as const) {
    for (let at = raw.indexOf(signature); at !== -1; at = raw.indexOf(signature, at + 4)) {
      if (at + nameAt + entryName.length > raw.length) break;
      const length = raw.readUInt16LE(at + lengthAt);
      if (length === entryName.length && raw.subarray(at + nameAt, at + nameAt + length).equals(entryName)) {
        return true;
      }
    }
  }
  return false;
}

/** The names of a zip's entries, from its local file headers (PK\3\4: name at 30, its length at 26). */
function zipEntryNames(raw: Buffer): Buffer[] {
  const signature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  const names: Buffer[] = [];
  for (let at = raw.indexOf(signature); at !== -1; at = raw.indexOf(signature, at + 4)) {
    if (at + 30 > raw.length) break;
    const length = raw.readUInt16LE(at + 26);
    if (at + 30 + length > raw.length) break;
    names.push(raw.subarray(at + 30, at + 30 + length));
  }
  return names;
}

/**
 * Alipay's `.csv.zip`: a zip whose every entry is a `.csv` file (folders aside), at least one. A zip
 * holding anything else (a page, a program) is none of our kinds.
 */
export function isCsvZip(bytes: Uint8Array): boolean {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Entry names may be GBK (Alipay's are): only their ASCII ending is read.
  const files = zipEntryNames(raw)
    .map((name) => name.toString('latin1'))
    .filter((name) => !name.endsWith('/'));
  return files.length > 0 && files.every((name) => name.toLowerCase().endsWith('.csv'));
}

const gbkDecoder = new TextDecoder('gb18030', { fatal: true });

/** Whole text in UTF-8 (a BOM allowed) or else GBK (what Excel and Alipay write in China), or null. */
function csvText(bytes: Uint8Array): string | null {
  const utf8 = strictText(bytes);
  if (utf8 !== null) return utf8;
  let text: string;
  try {
    text = gbkDecoder.decode(bytes);
  } catch {
    return null;
  }
  return hasControlCharacters(text) ? null : text;
}

/**
 * A CSV (a sales summary, a master-data sheet, an Alipay statement): UTF-8 or GBK text without NUL or
 * other control characters, with a comma-separated line, and not markup (its first character is not
 * `<`, so no page, SVG or XML passes as a table). What its rows say is the reader's to judge.
 */
export function isCsv(bytes: Uint8Array): boolean {
  const text = csvText(bytes);
  if (text === null) return false;
  const start = text.trimStart();
  return start !== '' && !start.startsWith('<') && text.includes(',');
}

/**
 * A CSV text file, as the orders' import reads it: UTF-8 (a BOM allowed) with no control character
 * but tab and line ends, and no magic bytes of a binary format (an XLSX is a zip, a PDF says so) —
 * judged on the whole file. A file whose bytes are not that is refused whatever its name says.
 */
export async function isCsvText(bytes: Uint8Array): Promise<boolean> {
  if (bytes.length === 0 || (await fileTypeFromBuffer(bytes)) !== undefined) return false;
  const text = strictText(bytes);
  return text !== null && /^[^\n]*,/.test(text);
}
