import { Layout } from '../ui/layout.tsx';
import type { OutboxMessage } from './outbox.ts';

/** `/dev/outbox`: every email the local runtime "sent", newest first, links clickable. */
export function OutboxPage({ messages }: { messages: OutboxMessage[] }) {
  return (
    <Layout title="Outbox">
      <h1>发件箱 Outbox</h1>
      {messages.length === 0 && <p class="card">No emails yet.</p>}
      {[...messages].reverse().map((message) => (
        <div class="card">
          <p>
            <strong>{message.subject}</strong>
          </p>
          <p class="muted">
            {message.sentAt.slice(0, 19).replace('T', ' ')} → {message.to.join(', ')}
            {message.cc?.length ? ` (cc ${message.cc.join(', ')})` : ''}
          </p>
          <pre class="text">{message.text}</pre>
          {message.links.map((link) => (
            <p>
              <a href={link}>{link.length > 80 ? `${link.slice(0, 80)}…` : link}</a>
            </p>
          ))}
        </div>
      ))}
    </Layout>
  );
}
