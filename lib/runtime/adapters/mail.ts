/**
 * Need `mail`: SES — or the company's SMTP server where SES does not exist (MAIL_TRANSPORT smtp, CDK
 * context `fundflow:mailer`) —, sending as MAIL_FROM, with links to PUBLIC_BASE_URL. The SMTP mailer
 * (nodemailer) is loaded in `setup`, by `await import()`, so SES functions' cold starts never carry it;
 * the SES client — or the Secrets Manager client that reads the SMTP credentials — loads on the first
 * message (../on-first-use.ts), so an invocation that sends none never parses it.
 */
import type { Mailer } from '../../mail/mailer.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { onFirstUse } from '../on-first-use.ts';
import { publicBaseUrl } from './public-base-url.ts';

export const mail: Adapter<'mail'> = {
  provide: (config) => {
    const from = configValue(config, 'MAIL_FROM');
    if (config.MAIL_TRANSPORT !== 'smtp') {
      const mailer = onFirstUse<Mailer>(async () => {
        const [{ SESv2Client }, { SesMailer }] = await Promise.all([
          import('@aws-sdk/client-sesv2'),
          import('../../mail/mailer.ts'),
        ]);
        return new SesMailer(new SESv2Client({}), from);
      });
      return { deps: { mailer, publicBaseUrl: publicBaseUrl(config) } };
    }
    const secretId = configValue(config, 'SMTP_SECRET_ARN');
    return {
      deps: { publicBaseUrl: publicBaseUrl(config) },
      setup: async () => {
        const { SmtpMailer } = await import('../../mail/smtp-mailer.ts');
        // The SMTP mailer reads the credentials before its first message and after a failed one.
        const credentials = async () =>
          (await import('../../mail/smtp-credentials.ts')).smtpCredentials(secretId);
        return { mailer: new SmtpMailer(credentials, from) };
      },
    };
  },
};
