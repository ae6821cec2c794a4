/**
 * Mail through the company's own SMTP server (nodemailer), where SES does not exist — AWS's China
 * regions (FACTS.md). The server's host, port, user and password live in Secrets Manager: read before
 * the first message, and read again by the next message after a failure (a password changed at the
 * mail server is picked up without a deploy). A refused or failed send is thrown, exactly like
 * SES's, so a task's retries, the outbox's attempts and the alarms see it.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import * as z from 'zod';
import type { Mailer, MailMessage } from './mailer.ts';

/**
 * The secret's JSON. `tls`: `implicit` (port 465), `starttls` (587; the upgrade is required, never
 * optional), or `none` — only to this machine's own loopback (a relay on the same host, the tests'
 * receiver): credentials never cross a network in clear. Port 25 is refused: Lambda blocks it.
 */
export const smtpCredentials = z
  .object({
    host: z.string().trim().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    username: z.string().min(1),
    password: z.string().min(1),
    tls: z.enum(['implicit', 'starttls', 'none']).optional(),
  })
  .transform((value) => ({ ...value, tls: value.tls ?? (value.port === 465 ? 'implicit' : 'starttls') }))
  .refine((value) => value.tls !== 'none' || ['127.0.0.1', '::1', 'localhost'].includes(value.host), {
    message: 'tls none is only for a server on this machine',
    path: ['tls'],
  })
  .refine((value) => value.port !== 25, {
    message: 'Lambda blocks outbound port 25: use 465 (implicit TLS) or 587 (STARTTLS)',
    path: ['port'],
  });

export type SmtpCredentials = z.output<typeof smtpCredentials>;

/** Where the credentials come from (Secrets Manager in AWS): the secret's string. */
export type CredentialsSource = () => Promise<string>;

/** A send the SMTP server refused, or could not take: thrown so the retries and alarms see it. */
export class MailNotSentError extends Error {}

export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;

  constructor(
    private readonly credentials: CredentialsSource,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const transport = await this.connected();
    let info: SMTPTransport.SentMessageInfo;
    try {
      info = await transport.sendMail({
        from: this.from,
        to: message.to,
        ...(message.cc?.length ? { cc: message.cc } : {}),
        subject: message.subject,
        text: message.text,
        html: message.html,
        textEncoding: 'base64',
        ...(message.attachments?.length
          ? {
              attachments: message.attachments.map((file) => ({
                filename: file.fileName,
                contentType: file.contentType,
                content: Buffer.from(file.content),
              })),
            }
          : {}),
      });
    } catch (error) {
      // The credentials may have changed at the server: the next message reads them again.
      this.transport = undefined;
      throw new MailNotSentError(`the SMTP server did not take "${message.subject}"`, { cause: error });
    }
    // Some recipients refused and others not: still a failure — someone is missing a message.
    if (info.rejected.length > 0) {
      throw new MailNotSentError(`the SMTP server refused ${info.rejected.map(String).join(', ')}`);
    }
  }

  private connected(): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    this.transport ??= this.credentials()
      .then((secret) => transportFor(smtpCredentials.parse(JSON.parse(secret))))
      .catch((error: unknown) => {
        this.transport = undefined;
        throw new MailNotSentError('the SMTP credentials could not be read', { cause: error });
      });
    return this.transport;
  }
}

function transportFor(credentials: SmtpCredentials): Transporter<SMTPTransport.SentMessageInfo> {
  return createTransport({
    host: credentials.host,
    port: credentials.port,
    secure: credentials.tls === 'implicit',
    requireTLS: credentials.tls === 'starttls',
    ignoreTLS: credentials.tls === 'none',
    auth: { user: credentials.username, pass: credentials.password },
    // Below the function's 15 s: a stuck server is a failed send, retried, not a timed-out Lambda.
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 8000,
  });
}
