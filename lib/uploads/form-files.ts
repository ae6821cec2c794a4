/**
 * Files chosen in a page's form (`multipart/form-data`, parsed by the router): their zod shape and
 * the order they were picked in. The file name is text a person chose — a name may not hide its real
 * ending (e.g. with U+202E) — and the bytes are judged by create-upload.ts before anything is stored.
 */
import * as z from 'zod';
import { typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';

export const formFile = lazySchema(() =>
  z.object({
    filename: typedText({ what: 'file name', min: 0, max: 200 }),
    mimetype: z.string(),
    content: z.instanceof(Buffer),
  }),
);
export type FormFile = z.infer<typeof formFile>;

/** One file input's parts: one file, several (`multiple`), or none. */
export const formFiles = lazySchema(() => z.union([formFile, z.array(formFile)]).optional());

/** The chosen files in the order they were picked (the parser lists repeated parts newest first). */
export function chosenFiles(files: FormFile | FormFile[] | undefined): FormFile[] {
  const list = Array.isArray(files) ? [...files].reverse() : files ? [files] : [];
  // A file input left empty still sends one part, with no name and no bytes.
  return list.filter((file) => file.filename !== '' && file.content.length > 0);
}
