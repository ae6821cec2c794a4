/** Where the signed-in pages open a stored file: `GET /evidence/{key+}` (lib/uploads/pages.ts). */

/** Each segment escaped, so a key always stays one path under /evidence/. */
export const fileHref = (key: string): string =>
  `/evidence/${key.split('/').map(encodeURIComponent).join('/')}`;

/** The name a person chose for the file (the key's last segment). */
export const fileNameOf = (key: string): string => key.split('/').at(-1) ?? key;
