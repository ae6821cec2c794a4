/** The SMTP mailer against a real SMTP server on this machine (test/support/smtp-receiver.ts). */
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer, smtpCredentials } from '../../lib/mail/smtp-mailer.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

let receiver: SmtpReceiver;
const secret = () =>
  JSON.stringify({
    host: '127.0.0.1',
    port: receiver.port,
    username: 'fundflow',
    password: 's3cret',
    tls: 'none',
  });
const message = {
  to: ['wang.fang@lianshang.example'],
  cc: ['finance@lianshang.example'],
  subject: '待审批：付款凭单 PV-2026-0001 Awaiting your decision',
  text: '您好，请审批杭州织锦服饰有限公司的付款 ¥10,000.00。',
  html: '<p>您好，请审批杭州织锦服饰有限公司的付款 ¥10,000.00。</p>',
  links: [],
};

beforeAll(async () => {
  receiver = await startSmtpReceiver();
});
afterAll(() => receiver.close());

describe('the SMTP mailer', () => {
  it('delivers a message with its From, To, Cc, Subject and Chinese body intact, signed in with the secret’s credentials', async () => {
    const mailer = new SmtpMailer(async () => secret(), 'fundflow@lianshang.example');

    await mailer.send(message);

    const received = receiver.messages.at(-1);
    expect(received?.auth).toBe('fundflow:s3cret');
    expect(received?.from).toBe('fundflow@lianshang.example');
    expect(received?.to).toEqual(['wang.fang@lianshang.example', 'finance@lianshang.example']);
    const parsed = await PostalMime.parse(received?.raw ?? '');
    expect(parsed.from?.address).toBe('fundflow@lianshang.example');
    expect(parsed.to?.map((to) => to.address)).toEqual(['wang.fang@lianshang.example']);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('杭州织锦服饰有限公司');
  });

  it('sends an attachment with its file name, type and bytes intact (finance’s 《开票申请表》)', async () => {
    const mailer = new SmtpMailer(async () => secret(), 'fundflow@lianshang.example');
    const content = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x7f]);

    await mailer.send({
      ...message,
      attachments: [
        {
          fileName: 'kaipiao-shenqing-2026-11-25.xlsx',
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          content,
        },
      ],
    });

    const parsed = await PostalMime.parse(receiver.messages.at(-1)?.raw ?? '');
    expect(parsed.attachments.map((file) => [file.filename, file.mimeType])).toEqual([
      [
        'kaipiao-shenqing-2026-11-25.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
    ]);
    expect(new Uint8Array(parsed.attachments[0]?.content as ArrayBuffer)).toEqual(content);
  });

  it('throws when the server refuses a recipient, so the task’s retries and the alarms see it', async () => {
    receiver.refuse.add('nobody@lianshang.example');
    const mailer = new SmtpMailer(async () => secret(), 'fundflow@lianshang.example');

    await expect(mailer.send({ ...message, to: ['nobody@lianshang.example'], cc: [] })).rejects.toThrow(
      /did not take|refused/,
    );
    await expect(
      mailer.send({ ...message, to: ['nobody@lianshang.example', 'wang.fang@lianshang.example'], cc: [] }),
    ).rejects.toThrow(/refused nobody@lianshang.example/);
  });

  it('reads the credentials again after they could not be read, and then sends', async () => {
    let reads = 0;
    const mailer = new SmtpMailer(async () => {
      reads += 1;
      if (reads === 1) throw new Error('Secrets Manager is unreachable');
      return secret();
    }, 'fundflow@lianshang.example');
    const before = receiver.messages.length;

    await expect(mailer.send(message)).rejects.toThrow(/credentials could not be read/);
    await mailer.send(message);

    expect(reads).toBe(2);
    expect(receiver.messages.length).toBe(before + 1);
  });

  it('throws when the server cannot be reached', async () => {
    const closed = JSON.stringify({ host: '127.0.0.1', port: 1, username: 'u', password: 'p', tls: 'none' });
    const mailer = new SmtpMailer(async () => closed, 'fundflow@lianshang.example');

    await expect(mailer.send(message)).rejects.toThrow(/did not take/);
  });

  it('sends credentials in clear to no server but this machine’s own, and never over port 25', () => {
    const base = { username: 'u', password: 'p' };
    expect(
      smtpCredentials.safeParse({ ...base, host: 'smtp.lianshang.example', port: 587, tls: 'none' }).success,
    ).toBe(false);
    expect(smtpCredentials.safeParse({ ...base, host: 'smtp.lianshang.example', port: 25 }).success).toBe(
      false,
    );
    expect(smtpCredentials.parse({ ...base, host: 'smtp.lianshang.example', port: 465 }).tls).toBe(
      'implicit',
    );
    expect(smtpCredentials.parse({ ...base, host: 'smtp.lianshang.example', port: 587 }).tls).toBe(
      'starttls',
    );
  });
});
