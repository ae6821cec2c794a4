import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptedBy,
  declaredAs,
  fileContentSecurityPolicy,
  servingHeaders,
  sniffFile,
  sniffWholeFile,
} from '../../lib/uploads/file-kinds.ts';
import {
  CONSENT_EML,
  EINVOICE_XML,
  HTML_PAGE,
  PDF_WITH_HTML,
  PNG_WITH_HTML,
  SVG_WITH_SCRIPT,
  TINY_GIF,
  TINY_JPEG,
  TINY_OFD,
  TINY_PDF,
  TINY_PNG,
  TINY_WEBP,
  XHTML_WITH_SCRIPT,
  XHTML_WITHOUT_DECLARATION,
  zipOf,
} from '../support/files.ts';

const kindOf = async (bytes: Uint8Array) => (await sniffWholeFile(bytes))?.contentType ?? null;
const invoice = (inner: string, declaration = '<?xml version="1.0" encoding="UTF-8"?>') =>
  Buffer.from(`${declaration}<EInvoice>${inner}</EInvoice>`);

describe('what an uploaded file is, from its bytes (DESIGN.md decision 15)', () => {
  it.each([
    ['a PNG', TINY_PNG, 'image/png'],
    ['a JPEG', TINY_JPEG, 'image/jpeg'],
    ['a WebP', TINY_WEBP, 'image/webp'],
    ['a GIF', TINY_GIF, 'image/gif'],
    ['a PDF', TINY_PDF, 'application/pdf'],
    ['a consent email (.eml)', CONSENT_EML, 'message/rfc822'],
    ['an OFD invoice (a zip with OFD.xml)', TINY_OFD, 'application/ofd'],
    ['the XML of a fully digital invoice', EINVOICE_XML, 'application/xml'],
  ])('tells %s', async (_, bytes, type) => {
    expect(await kindOf(bytes)).toBe(type);
  });

  it.each([
    ['the probe’s XHTML with a script', XHTML_WITH_SCRIPT],
    ['XHTML without an XML declaration', XHTML_WITHOUT_DECLARATION],
    ['an SVG with a script', SVG_WITH_SCRIPT],
    ['an HTML page', HTML_PAGE],
    ['a zip without OFD.xml', zipOf({ 'invoice.html': '<html></html>' })],
    [
      'a Word document (a zip file-type names)',
      zipOf({
        '[Content_Types].xml':
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        'word/document.xml': '<w/>',
      }),
    ],
    ['an empty file', Buffer.alloc(0)],
    ['a PNG signature alone (no image in it)', Buffer.from('89504e470d0a1a0a', 'hex')],
  ])('knows no kind for %s', async (_, bytes) => {
    expect(await kindOf(bytes)).toBeNull();
  });

  it('types a polyglot by its magic bytes, so it is served as what it starts as, never as HTML', async () => {
    expect(await kindOf(PDF_WITH_HTML)).toBe('application/pdf');
    expect(await kindOf(PNG_WITH_HTML)).toBe('image/png');
  });

  it.each([
    [
      'an XHTML element deep inside',
      '<Note><p xmlns="http://www.w3.org/1999/xhtml"><script>1</script></p></Note>',
    ],
    [
      'the XHTML namespace spelled with character references',
      '<p xmlns="&#104;ttp://www.w3.org/1999/&#x78;html"/>',
    ],
    ['an SVG element', '<s:svg xmlns:s="http://www.w3.org/2000/svg"/>'],
    ['an XSLT namespace', '<x xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>'],
    ['an xml-stylesheet instruction', '<?xml-stylesheet href="data:,x"?>'],
    ['a document type with entities', '<!DOCTYPE x [<!ENTITY a "b">]>'],
  ])('refuses invoice XML with %s', async (_, inner) => {
    expect(await kindOf(invoice(inner))).toBeNull();
  });

  it('refuses XML whose root is not an invoice, that is not UTF-8, or that carries NUL', async () => {
    expect(await kindOf(Buffer.from('<?xml version="1.0"?><Order/>'))).toBeNull();
    expect(await kindOf(invoice('', '<?xml version="1.0" encoding="GBK"?>'))).toBeNull();
    expect(await kindOf(invoice('\u0000'))).toBeNull();
    expect(await kindOf(Buffer.concat([invoice(''), Buffer.from([0xff, 0xfe])]))).toBeNull();
  });

  it('takes invoice XML without a declaration, with a BOM, and with a signature namespace', async () => {
    expect(await kindOf(invoice('<a/>', ''))).toBe('application/xml');
    expect(await kindOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), EINVOICE_XML]))).toBe(
      'application/xml',
    );
    expect(await kindOf(invoice('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'))).toBe(
      'application/xml',
    );
  });

  it('refuses an email without a From header, without its header block, or with NUL', async () => {
    expect(await kindOf(Buffer.from('Subject: hi\r\n\r\nbody'))).toBeNull();
    expect(await kindOf(Buffer.from('From: a@example.com'))).toBeNull();
    expect(await kindOf(Buffer.from('From: a@example.com\r\n\r\nbo\u0000dy'))).toBeNull();
    expect(await kindOf(Buffer.from('<html>\r\nFrom: a@example.com\r\n\r\n'))).toBeNull();
  });

  it('asks for the whole file before judging a text format from its first bytes', async () => {
    expect(await sniffFile(EINVOICE_XML.subarray(0, 40), { complete: false })).toBe('incomplete');
    expect((await sniffFile(TINY_PNG, { complete: false })) as { name: string }).toMatchObject({
      name: 'png',
    });
  });

  it('never takes a file with an active namespace for invoice XML, whatever surrounds it', async () => {
    const active = fc.constantFrom(
      'http://www.w3.org/1999/xhtml',
      'http://www.w3.org/2000/svg',
      'http://www.w3.org/1999/XSL/Transform',
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), active, fc.string(), async (before, namespace, after) => {
        const bytes = invoice(`${before.replace(/[<&]/g, '')}<x xmlns="${namespace}"/>${after}`);
        expect(await kindOf(bytes)).toBeNull();
      }),
    );
  });
});

describe('whether the declared type agrees with the bytes', () => {
  it('agrees only when the declared type is the kind (text/xml is application/xml)', async () => {
    const xml = await sniffWholeFile(EINVOICE_XML);
    const png = await sniffWholeFile(TINY_PNG);
    if (!xml || !png) throw new Error('fixtures are files of our kinds');

    expect(declaredAs('text/xml', xml)).toBe(true);
    expect(declaredAs('Application/XML', xml)).toBe(true);
    expect(declaredAs('image/png', xml)).toBe(false);
    expect(declaredAs('application/octet-stream', png)).toBe(false);
    expect(acceptedBy(['image/png', 'application/pdf'], xml)).toBe(false);
    expect(acceptedBy(['text/xml'], xml)).toBe(true);
  });
});

describe('how a stored file is served', () => {
  it('shows a raster image in place, as its own type, never cached', async () => {
    expect(servingHeaders(await sniffWholeFile(TINY_PNG), 'order.png')).toEqual({
      contentType: 'image/png',
      contentDisposition: `inline; filename="order.png"; filename*=UTF-8''order.png`,
      cacheControl: 'private, no-store',
    });
  });

  it('hands a PDF, an OFD and invoice XML out as downloads', async () => {
    for (const bytes of [TINY_PDF, TINY_OFD, EINVOICE_XML, CONSENT_EML]) {
      expect(servingHeaders(await sniffWholeFile(bytes), 'f').contentDisposition).toMatch(/^attachment;/);
    }
  });

  it('serves a file of no kind as opaque bytes to download, named so it cannot open as a page', () => {
    expect(servingHeaders(null, 'invoice.xhtml')).toMatchObject({
      contentType: 'application/octet-stream',
      contentDisposition: `attachment; filename="invoice.xhtml.bin"; filename*=UTF-8''invoice.xhtml.bin`,
    });
  });

  it('names the download in UTF-8 with an ASCII fallback, ending in the kind’s extension', async () => {
    const headers = servingHeaders(await sniffWholeFile(TINY_PDF), '发票"x');

    expect(headers.contentDisposition).toBe(
      `attachment; filename="__-x.pdf"; filename*=UTF-8''${encodeURIComponent('发票-x.pdf')}`,
    );
  });

  it('sandboxes every file; only an image may load itself', () => {
    expect(fileContentSecurityPolicy('application/pdf')).toBe(
      "sandbox; default-src 'none'; frame-ancestors 'none'",
    );
    expect(fileContentSecurityPolicy('image/png')).toBe(
      "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'",
    );
  });
});
