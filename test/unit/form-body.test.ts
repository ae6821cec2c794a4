import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/domain/errors.ts';
import { parseMultipartForm } from '../../lib/http/form-body.ts';

const BOUNDARY = 'unitBoundary42';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function form(parts: { name: string; value: string; file?: string; type?: string }[]): Buffer {
  return Buffer.from(
    `${parts
      .map(
        (part) =>
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${
            part.file === undefined ? '' : `; filename="${part.file}"\r\nContent-Type: ${part.type}`
          }\r\n\r\n${part.value}\r\n`,
      )
      .join('')}--${BOUNDARY}--\r\n`,
  );
}

describe('the pages’ multipart forms', () => {
  it('reads fields as text and files as name, type and bytes, several files of one name newest first', async () => {
    const fields = await parseMultipartForm(
      TYPE,
      form([
        { name: 'goods', value: '秋冬女装' },
        { name: 'evidence', value: 'first', file: 'a.png', type: 'image/png' },
        { name: 'evidence', value: 'second', file: 'b.png', type: 'image/png' },
      ]),
    );

    expect(fields.goods).toBe('秋冬女装');
    expect(fields.evidence).toEqual([
      { filename: 'b.png', mimetype: 'image/png', content: Buffer.from('second') },
      { filename: 'a.png', mimetype: 'image/png', content: Buffer.from('first') },
    ]);
  });

  it('reads a field sent again as name[0], or named __proto__, as one more field', async () => {
    const fields = await parseMultipartForm(
      TYPE,
      form([
        { name: 'goods', value: 'a' },
        { name: 'goods[0]', value: 'b' },
        { name: '__proto__', value: '{"isAdmin":true}' },
      ]),
    );

    expect({ ...fields }).toEqual({ goods: 'a', 'goods[0]': 'b', ['__proto__']: '{"isAdmin":true}' });
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });

  it('refuses a body that is not the multipart its header announces, with a 400', async () => {
    const attempt = parseMultipartForm(TYPE, Buffer.from('--otherBoundary\r\n\r\nx'));

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, issues: [{ path: 'body' }] });
  });

  it('refuses more parts than any form of ours has', async () => {
    const many = Array.from({ length: 1001 }, (_, index) => ({ name: `f${index}`, value: 'x' }));

    await expect(parseMultipartForm(TYPE, form(many))).rejects.toMatchObject({ statusCode: 400 });
  });
});
