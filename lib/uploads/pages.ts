/**
 * The pages' way to open a stored file — to those who may see it (lib/domain/access.ts), as a
 * short-lived link serving the kind its bytes are, a download unless a raster image
 * (lib/uploads/stored-files.ts).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { mayOpenFile } from '../domain/access.ts';
import { NotFoundError } from '../domain/errors.ts';
import { pageFunction, session } from '../http/router.ts';
import { uploadsPagesRoutes } from '../http/routes.ts';
import { downloadUrl } from './stored-files.ts';
import { isUploadKey } from './upload-keys.ts';

const NO_FILE = '没有这个文件。No such file.';

export const uploadsPages = (deps: AppDeps) =>
  pageFunction(deps, uploadsPagesRoutes, {
    /**
     * A key of another shape than ours names no file: 404 before anything is read. A file the caller
     * may not open looks like no file at all.
     */
    openFile: session(
      { params: z.object({ key: z.string().refine(isUploadKey) }), pathNotFound: NO_FILE },
      async ({ params, caller }) => {
        const upload = await deps.store.uploads.get(params.key);
        const owner = upload ? await deps.store.people.get(upload.owner) : null;
        const location =
          upload && mayOpenFile(caller, { owner }) ? await downloadUrl(deps, params.key) : null;
        if (location === null) throw new NotFoundError(NO_FILE);
        return { statusCode: 302, headers: { location, 'cache-control': 'no-store' } };
      },
    ),
  });
