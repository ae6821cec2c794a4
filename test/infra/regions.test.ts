/**
 * One stack for AWS's global regions (SES, Cognito's managed login) and for its China regions (the
 * company's SMTP server and OIDC provider): both synthesize, and the China one names no SES and no
 * ARN of the global partition.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, allFunctions, CHINA_CONTEXT, environmentOf, synthesize } from './synth.ts';

const china = synthesize({ checks: false, context: CHINA_CONTEXT });
const global = synthesize({
  checks: false,
  context: { 'fundflow:region': 'ap-southeast-1', 'fundflow:account': '123456789012' },
});
const mailing = (synthesized: typeof china) =>
  allFunctions(synthesized.stack).filter(({ spec }) => 'mail' in spec.needs);

describe('a global region with SES', () => {
  it('grants SES sending to the functions that mail, and signs in through the user pool', () => {
    expect(mailing(global).length).toBeGreaterThan(0);
    for (const { name, fn } of mailing(global)) {
      expect(actionsOf(global, fn), name).toContain('ses:SendEmail');
      expect(environmentOf(global, fn), name).toMatchObject({ MAIL_TRANSPORT: 'ses' });
    }
    expect(Object.keys(global.template.findResources('AWS::Cognito::UserPool'))).toHaveLength(1);
  });
});

describe('a China region with SMTP', () => {
  const json = JSON.stringify(china.template.toJSON());

  it('synthesizes with no SES permission and no Cognito user pool', () => {
    expect(json).not.toMatch(/"ses:/);
    expect(json).not.toMatch(/AWS::SES::/);
    expect(Object.keys(china.template.findResources('AWS::Cognito::UserPool'))).toHaveLength(0);
  });

  it('builds every ARN in the aws-cn partition, never a literal arn:aws:', () => {
    expect(json).not.toContain('arn:aws:');
    expect(json).toContain('arn:aws-cn:');
  });

  it('gives the functions that mail the SMTP secret to read, and nothing of SES', () => {
    const secrets = Object.keys(china.template.findResources('AWS::SecretsManager::Secret'));
    const smtp = secrets.find((id) => id.startsWith('SmtpCredentials'));
    expect(smtp).toBeDefined();
    for (const { name, fn } of mailing(china)) {
      expect(environmentOf(china, fn), name).toMatchObject({
        MAIL_TRANSPORT: 'smtp',
        SMTP_SECRET_ARN: { Ref: smtp },
      });
      expect(actionsOf(china, fn), name).toContain('secretsmanager:GetSecretValue');
      expect(actionsOf(china, fn), name).not.toContain('ses:SendEmail');
    }
  });

  it('puts the API behind the company OIDC provider’s tokens for fundflow’s client', () => {
    china.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: CHINA_CONTEXT['fundflow:oidcIssuer'], Audience: ['fundflow'] },
    });
  });

  it('refuses SES, or a user pool, in a China region with a message that says what to set', () => {
    expect(() =>
      synthesize({ checks: false, context: { ...CHINA_CONTEXT, 'fundflow:mailer': 'ses' } }),
    ).toThrow(/fundflow:mailer=smtp/);
    expect(() =>
      synthesize({ checks: false, context: { ...CHINA_CONTEXT, 'fundflow:identity': 'cognito' } }),
    ).toThrow(/fundflow:identity=oidc/);
  });
});
