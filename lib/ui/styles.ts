/**
 * The one stylesheet of every page, and the Content-Security-Policy that allows exactly it (by its
 * hash) and no script at all. Nothing on a page may carry a `style=` attribute: the CSP blocks inline
 * styles, which is why every look here is a class — buttons, badges, banners, the table that becomes
 * cards on a phone.
 */
import { createHash } from 'node:crypto';

/** Below this width a `table.cards` shows each row as a card, each cell under its column's label. */
export const CARDS_BELOW = '40rem';

export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#0b3d62;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff}
header nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem}
header .who{margin-left:auto;font-size:.9rem;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center}
header form{display:inline;margin:0}
main{max-width:52rem;margin:0 auto;padding:1rem}
main.wide{max-width:84rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.card h2:first-child,section.card>h2{margin-top:0}
a{color:#0550ae}
small,.muted{color:#57606a;font-size:.85rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin-bottom:1rem;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top;overflow-wrap:anywhere}
td.amount,th.amount{text-align:right}
tfoot td{font-weight:600;border-bottom:0}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.3rem 1rem;margin:0}
dt{color:#57606a}
dd{margin:0;overflow-wrap:anywhere}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:0}
.field{margin:.8rem 0 0}
.field>label,label.field-label{display:block;margin:0 0 .2rem;font-weight:600}
.hint{display:block;color:#57606a;font-size:.85rem;margin:.2rem 0 0}
.field-error{display:block;color:#a40e26;font-size:.9rem;font-weight:600;margin:.2rem 0 0}
input,select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #8c959f;border-radius:6px;background:#fff}
input[type=checkbox],input[type=radio]{width:1.1rem;height:1.1rem;padding:0;margin:.2rem 0 0;flex:none}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid #cf222e}
textarea{min-height:4.5rem}
label.check{display:flex;gap:.5rem;align-items:flex-start;margin:.8rem 0 0;font-weight:600}
.buttons{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin-top:1rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
form.inline .field,form.inline label.check{margin:0}
form.inline input:not([type=checkbox]){width:auto}
form.inline .buttons{margin-top:0}
.btn{display:inline-block;font:inherit;font-weight:600;padding:.55rem 1.1rem;border-radius:6px;border:1px solid transparent;cursor:pointer;text-decoration:none;line-height:1.4}
.btn-primary{background:#1f6feb;border-color:#1f6feb;color:#fff}
.btn-secondary{background:#fff;border-color:#8c959f;color:#1f2328}
.btn-danger{background:#cf222e;border-color:#cf222e;color:#fff}
.btn-link{background:none;border:0;color:inherit;padding:0;font:inherit;text-decoration:underline;cursor:pointer}
.amount{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
.account{font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#eaeef2;color:#1f2328;margin:.1rem .2rem .1rem 0;border:1px solid transparent}
.flag{background:#fff1e5;color:#953800;border-color:#fb8f44}
.status-submitted{background:#eaeef2;color:#32383f;border-color:#afb8c1}
.status-in-approval{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.status-rejected{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.status-ready-for-payment,.status-due{background:#ddf4ff;color:#0550ae;border-color:#54aeff}
.status-paid{background:#dafbe1;color:#116329;border-color:#4ac26b}
.status-payment-failed{background:#ffeff7;color:#99286e;border-color:#e85aad}
.status-closed{background:#fbefff;color:#6e40c9;border-color:#c297ff}
.status-pending{background:#f6f8fa;color:#57606a;border-color:#d0d7de}
.banner{border:1px solid;border-radius:8px;padding:.8rem 1rem;margin-bottom:1rem;overflow-wrap:anywhere}
.banner>h2:first-child{margin-top:0}
.banner-info{background:#ddf4ff;border-color:#54aeff}
.banner-success{background:#dafbe1;border-color:#4ac26b}
.banner-warning{background:#fff8c5;border-color:#d4a72c}
.banner-error{background:#ffebe9;border-color:#ff8182}
.banner-error>h2{color:#a40e26}
.flags{border-left:4px solid #fb8f44}
form.export{margin-top:1.2rem}
.confirmation .links{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0 0}
details.more{margin-top:.6rem}
details.more>summary{cursor:pointer;color:#a40e26;font-weight:600}
.voucher-number{font-variant-numeric:tabular-nums;white-space:nowrap}
.voucher-id{font-size:.85rem}
dd.attention{color:#a40e26}
ul.files{list-style:none;padding:0;margin:0}
ul.files li{padding:.5rem 0;border-bottom:1px solid #d0d7de}
ul.files li:last-child{border-bottom:0}
.row-done{display:block;color:#116329;font-weight:600;margin-top:.3rem}
.row-refused{margin-top:.3rem}
table.run td.voucher a{white-space:nowrap}
table.run td.payee{min-width:13rem}
table.run td.status{min-width:15rem}
table.run td.actions{min-width:19rem}
table.batch td.actions{min-width:17rem}
table.run .pay{display:flex;flex-wrap:wrap;gap:0 .6rem;align-items:flex-end}
table.run .pay .field{flex:1 1 8.5rem}
.note{display:block;margin:.3rem 0;padding:.2rem .5rem;border-left:3px solid #fb8f44;background:#fff1e5;color:#953800;font-size:.8rem;font-weight:600}
.steps li{margin-bottom:.6rem}
fieldset{border:0;padding:0;margin:.8rem 0 0;min-width:0}
legend{font-weight:600;padding:0;margin:0 0 .3rem}
td label.check{margin:0;font-weight:400}
.number{font-variant-numeric:tabular-nums;white-space:nowrap}
h1 .ulid{display:block;font-weight:400}
p.supplier{margin:0 0 .2rem}
.rejection .reason{font-size:1.05rem}
.thumbs{display:flex;flex-wrap:wrap;gap:.6rem;margin:.3rem 0 0;padding:0;list-style:none}
.thumbs li{margin:0}
.thumbs img{display:block;max-width:9rem;max-height:9rem;border:1px solid #d0d7de;border-radius:6px;background:#fff}
.next{border-left:4px solid #1f6feb}
form.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:0 1rem}
form.filters .buttons{grid-column:1/-1}
.list-totals{font-weight:600}
.voucher-print{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem}
.print-title{text-align:center;font-size:1.5rem;letter-spacing:.1em}
.print-meta{display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;justify-content:space-between}
table.print-grid{border:1px solid #1f2328;margin:.5rem 0}
table.print-grid th,table.print-grid td{border:1px solid #1f2328}
table.print-grid th{background:#f6f8fa;font-weight:600;width:22%}
table.trail th{width:auto}
.signatures{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem 1.5rem;margin:.5rem 0}
.signature{display:flex;flex-direction:column;gap:2.2rem}
.signature .line{border-bottom:1px solid #1f2328;display:block}
@media (max-width:${CARDS_BELOW}){
table.print-grid,table.print-grid tbody,table.print-grid tr,table.print-grid th,table.print-grid td{display:block;width:100%}
table.print-grid thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
}
@media print{
@page{size:A4;margin:15mm}
header,nav,.no-print,.buttons{display:none}
body{background:#fff;font-size:11pt}
main{max-width:none;padding:0}
.voucher-print{border:0;padding:0}
a{color:inherit;text-decoration:none}
}
.history .when{white-space:nowrap}
.months{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}
.month h2{font-size:1rem;margin:.2rem 0}
.month ol{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(7,1fr);gap:2px}
.month li{text-align:center;padding:.35rem 0;border-radius:4px;font-size:.9rem;background:#dafbe1}
.month li.off{background:#eaeef2;color:#57606a}
.month li.override{outline:2px solid #bf8700}
.month li.fallback{background:#fff8c5}
.month li.pad{background:none}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.4rem;border-radius:4px}
@media (max-width:${CARDS_BELOW}){
table.cards{background:none}
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table.cards,table.cards tbody,table.cards tfoot,table.cards tr,table.cards td{display:block;width:100%}
table.cards tr{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin:0 0 .75rem;padding:.4rem .75rem}
table.cards td{border:0;padding:.3rem 0;display:grid;grid-template-columns:minmax(5.5rem,35%) 1fr;gap:.6rem;text-align:left}
table.cards td::before{content:attr(data-label);color:#57606a;font-size:.85rem;font-weight:600}
table.cards td:not([data-label]),table.cards td.actions{display:block}
table.cards td:not([data-label])::before{display:none}
table.cards td:empty{display:none}
table.cards td.actions::before{display:block;margin-bottom:.2rem}
table.cards td.amount{white-space:normal}
table.run td.payee,table.run td.status,table.run td.actions{min-width:0}
table.run td.voucher a{white-space:normal}
table.run .pay{display:block}
table.batch td.actions{min-width:0}
table.cards td:has(>div:empty){display:none}
}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** An origin a page may show images from: `https://host[:port]`, nothing else (no path, no wildcard). */
const IMAGE_ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;

/**
 * The one inline stylesheet, allowed by its hash; no script may run at all. Images from the app's
 * own origin, and from the exact origins a page names (the evidence bucket's short-lived download
 * URLs the approval page shows as thumbnails) — never a wildcard.
 */
export function contentSecurityPolicy(
  imageOrigins: readonly string[] = [],
  formOrigins: readonly string[] = [],
): string {
  const origins = [...new Set(imageOrigins.filter((origin) => IMAGE_ORIGIN.test(origin)))];
  // The exact origin a page's form uploads straight to (the evidence bucket's, S3 POST): never a wildcard.
  const forms = [...new Set(formOrigins.filter((origin) => IMAGE_ORIGIN.test(origin)))];
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    ["img-src 'self'", ...origins].join(' '),
    ["form-action 'self'", ...forms].join(' '),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
