/**
 * Need `evidence`: the evidence bucket (presigned uploads and downloads, ranged reads). The S3 client
 * and the presigner (~150 KB of the SDK) load on the store's first call (./on-first-use.ts): a
 * request that shows no file — a list, a delegation — never parses them.
 */
import type { EvidenceStore } from '../../evidence/evidence-store.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { onFirstUse } from '../on-first-use.ts';

export const evidence: Adapter<'evidence'> = {
  provide: (config) => {
    // Read at cold start: a function without its bucket fails at init, naming the key.
    const bucket = configValue(config, 'EVIDENCE_BUCKET');
    return {
      deps: {
        evidence: onFirstUse<EvidenceStore>(async () => {
          const [{ S3Client }, { S3EvidenceStore }] = await Promise.all([
            import('@aws-sdk/client-s3'),
            import('../../evidence/s3-evidence-store.ts'),
          ]);
          // Region and credentials from the Lambda environment, as every SDK client here.
          return new S3EvidenceStore(new S3Client({}), bucket);
        }),
      },
    };
  },
};
