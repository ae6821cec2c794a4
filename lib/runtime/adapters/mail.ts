/** Need `mail`: SES, sending as MAIL_FROM, with links to PUBLIC_BASE_URL. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../mail/mailer.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { publicBaseUrl } from './public-base-url.ts';

const ses = new SESv2Client({});

export const mail: Adapter<'mail'> = {
  provide: (config) => ({
    deps: {
      mailer: new SesMailer(ses, configValue(config, 'MAIL_FROM')),
      publicBaseUrl: publicBaseUrl(config),
    },
  }),
};
