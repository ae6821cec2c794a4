/**
 * Files people upload, as bytes: the accepted kinds (small but real enough for their readers), and the
 * hostile ones a probe sends. `HOSTILE_MARKER` is what a hostile file's script would fetch: a test
 * watching the browser's requests sees it if any script ran.
 */
import { crc32 } from 'node:zlib';
import { TINY_PNG } from './app.ts';

export { TINY_PNG };

/** The path a hostile file's script requests; seeing it requested means a script ran. */
export const HOSTILE_MARKER = '/xss-marker-fetched-by-a-script';

const script = `<script>fetch('${HOSTILE_MARKER}');document.title='pwned'</script>`;

/** The probe's file: XHTML whose script would read the payment-run page with the viewer's cookie. */
export const XHTML_WITH_SCRIPT = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>${script}</body></html>`,
);

/** The same without the XML declaration, and an SVG and an HTML page: none is an accepted kind. */
export const XHTML_WITHOUT_DECLARATION = Buffer.from(
  `<html xmlns="http://www.w3.org/1999/xhtml"><body>${script}</body></html>`,
);
export const SVG_WITH_SCRIPT = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${script}</svg>`);
export const HTML_PAGE = Buffer.from(`<!doctype html><html><body>${script}</body></html>`);

/** A PDF (by its magic bytes) that also carries an HTML page: accepted, and must never render as HTML. */
export const PDF_WITH_HTML = Buffer.from(`%PDF-1.4\n% fundflow test invoice\n${HTML_PAGE}\n%%EOF\n`);
export const TINY_PDF = Buffer.from('%PDF-1.4\n% fundflow test invoice\n%%EOF\n');
/** A PNG with an HTML page after its end: an image, and it must only ever show as one. */
export const PNG_WITH_HTML = Buffer.concat([TINY_PNG, HTML_PAGE]);

export const TINY_JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
export const TINY_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
export const TINY_WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x1a, 0, 0, 0]),
  Buffer.from('WEBPVP8L'),
  Buffer.from('0d0000002f0000001007101111888808', 'hex'),
  Buffer.alloc(2),
]);

/** A fully digital invoice's XML (数电票), as the e-tax bureau hands it out. */
export const EINVOICE_XML = Buffer.from(
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- 全面数字化的电子发票 -->',
    '<EInvoice>',
    '  <Header><EIid>26332000000012345678</EIid></Header>',
    '  <EInvoiceData><SellerInformation><SellerName>杭州织锦服饰有限公司</SellerName></SellerInformation>',
    '  <BasicInformation><TotalTax-includedAmount>10000.00</TotalTax-includedAmount></BasicInformation>',
    '  </EInvoiceData>',
    '</EInvoice>',
  ].join('\n'),
);

/** A consent email as saved from a mail client. */
export const CONSENT_EML = Buffer.from(
  [
    'From: wang.qiang@lianshang.example',
    'To: admin@lianshang.example',
    'Subject: =?UTF-8?B?5ZCM5oSP5LuY5qy+?=',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '同意付款 ¥3,000.00',
  ].join('\r\n'),
);

/** A zip of stored (uncompressed) entries: enough to be an OFD package, or any other zip. */
export function zipOf(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OFD invoice (GB/T 33190): a zip with its root file OFD.xml and the document it points at. */
export const TINY_OFD = zipOf({
  'OFD.xml':
    '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
  'Doc_0/Document.xml':
    '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
});
