/**
 * A minimal SMTP server on this machine (node:net), for the SMTP mailer's tests: EHLO with AUTH
 * PLAIN/LOGIN, MAIL FROM, RCPT TO (a recipient can be set to be refused), DATA; it keeps each message
 * as the raw RFC 5322 text it received, and the credentials it was given.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  auth: string;
}

export interface SmtpReceiver {
  port: number;
  messages: Received[];
  /** Recipients answered 550. */
  refuse: Set<string>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = { port: 0, messages: [], refuse: new Set(), close: async () => {} };
  const server: Server = createServer((socket) => {
    let buffer = '';
    let data: string[] | undefined;
    let current: Received = { from: '', to: [], raw: '', auth: '' };
    let loginStep: 'user' | 'pass' | undefined;
    let user = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 receiver.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let at = buffer.indexOf('\r\n'); at !== -1; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (data) {
          if (line === '.') {
            current.raw = Buffer.from(data.join('\r\n'), 'latin1').toString('utf8');
            receiver.messages.push(current);
            current = { from: '', to: [], raw: '', auth: current.auth };
            data = undefined;
            reply('250 queued');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        if (loginStep === 'user') {
          user = Buffer.from(line, 'base64').toString();
          loginStep = 'pass';
          reply('334 UGFzc3dvcmQ6');
          continue;
        }
        if (loginStep === 'pass') {
          current.auth = `${user}:${Buffer.from(line, 'base64').toString()}`;
          loginStep = undefined;
          reply('235 ok');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          socket.write('250-receiver.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        } else if (line.toUpperCase().startsWith('AUTH PLAIN')) {
          const [, authzUser = '', password = ''] = Buffer.from(line.slice(11).trim(), 'base64')
            .toString()
            .split('\0');
          current.auth = `${authzUser}:${password}`;
          reply('235 ok');
        } else if (line.toUpperCase().startsWith('AUTH LOGIN')) {
          loginStep = 'user';
          reply('334 VXNlcm5hbWU6');
        } else if (verb === 'MAIL') {
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 ok');
        } else if (verb === 'RCPT') {
          const to = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (receiver.refuse.has(to)) reply('550 no such user');
          else {
            current.to.push(to);
            reply('250 ok');
          }
        } else if (verb === 'DATA') {
          data = [];
          reply('354 end with .');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}
