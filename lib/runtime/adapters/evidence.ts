/** Need `evidence`: the evidence bucket (presigned uploads and downloads, ranged reads). */
import { S3Client } from '@aws-sdk/client-s3';
import { S3EvidenceStore } from '../../evidence/s3-evidence-store.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';

const s3 = new S3Client({});

export const evidence: Adapter<'evidence'> = {
  provide: (config) => ({
    deps: { evidence: new S3EvidenceStore(s3, configValue(config, 'EVIDENCE_BUCKET')) },
  }),
};
