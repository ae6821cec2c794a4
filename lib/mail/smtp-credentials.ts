/**
 * The SMTP server's credentials (MAIL_TRANSPORT smtp), the string of their Secrets Manager secret.
 * Loaded by `await import()` with their first read, before the first message (lib/runtime/adapters/
 * mail.ts): an invocation that sends none never parses the Secrets Manager client.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// Region and credentials from the Lambda environment; one client per container.
const secrets = new SecretsManagerClient({});

export async function smtpCredentials(secretId: string): Promise<string> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!secret.SecretString) throw new Error('the SMTP credentials secret is empty');
  return secret.SecretString;
}
