/**
 * Email (DESIGN.md decision 11): a port, so another transport (the company's SMTP server in China
 * regions, where SES does not exist) can be added. SES v2 in AWS; the outbox folder locally.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface MailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** The absolute links the message carries (the outbox shows them; tests follow them). */
  links: string[];
  /** Files sent with it (the 《开票申请表》 to finance); small — SES takes up to 40 MB a message. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: message.to, ...(message.cc?.length ? { CcAddresses: message.cc } : {}) },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: message.html, Charset: 'UTF-8' },
            },
            ...(message.attachments?.length
              ? {
                  Attachments: message.attachments.map((file) => ({
                    FileName: file.fileName,
                    ContentType: file.contentType,
                    ContentDisposition: 'ATTACHMENT' as const,
                    ContentTransferEncoding: 'BASE64' as const,
                    RawContent: file.content,
                  })),
                }
              : {}),
          },
        },
      }),
    );
  }
}
