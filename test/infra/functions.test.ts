/**
 * Every Lambda function has the house defaults and exactly the grants its spec's `needs` list
 * (lib/http/routes.ts, lib/workflow/catalogue.ts) — no more.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ACTIONS } from '../../infra/constructs/fundflow-function.ts';
import { type FunctionSpec, functions, routes } from '../../lib/http/routes.ts';
import { type ConfigKey, configKeysFor, OPTIONAL_CONFIG_KEYS } from '../../lib/runtime/config.ts';
import {
  actionsIn,
  actionsOf,
  allFunctions,
  cognitoOf,
  type DeployedFunction,
  environmentOf,
  functionResource,
  logicalIdOf,
  type Synthesized,
  statementsOf,
  synthesize,
} from './synth.ts';

let synthesized: Synthesized;
let deployed: DeployedFunction[];

beforeAll(() => {
  synthesized = synthesize();
  deployed = allFunctions(synthesized.stack);
});

const DYNAMODB_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

const withPrefix = (actions: string[], prefix: string) =>
  actions.filter((action) => action.startsWith(prefix));

describe('every function', () => {
  it('is built once per spec, from the spec’s handler module', () => {
    for (const { name, spec, fn } of deployed) {
      expect(functionResource(synthesized, fn).Properties.Description, name).toBe(spec.description);
    }
    expect(Object.keys(synthesized.stack.http.functions).sort()).toEqual(Object.keys(functions).sort());
  });

  it('runs Node.js 24 on arm64 with X-Ray tracing active', () => {
    const lambdas = synthesized.template.findResources('AWS::Lambda::Function');

    expect(Object.keys(lambdas).length).toBeGreaterThanOrEqual(deployed.length);
    for (const [id, lambda] of Object.entries(lambdas)) {
      expect(lambda.Properties.Runtime, id).toBe('nodejs24.x');
      expect(lambda.Properties.Architectures, id).toEqual(['arm64']);
      expect(lambda.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });

  it('names the Powertools service, and leaves source maps to the first stack formatted, not the cold start', () => {
    for (const { name, fn } of deployed) {
      const environment = environmentOf(synthesized, fn);
      expect(environment, name).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'fundflow' });
      expect(environment.NODE_OPTIONS ?? '', name).not.toContain('--enable-source-maps');
    }
  });

  it('logs to its own log group, kept a year and retained with the stack', () => {
    const { template } = synthesized;
    const resources = template.toJSON().Resources;
    for (const { name, fn } of deployed) {
      const logGroupRef = functionResource(synthesized, fn).Properties.LoggingConfig as {
        LogGroup: { Ref: string };
      };
      const logGroup = resources[logGroupRef.LogGroup.Ref];

      expect(logGroup.Type, name).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays, name).toBe(365);
      expect(logGroup.DeletionPolicy, name).toBe('Retain');
    }
  });

  it('has a role with no managed policy, writing only to its own log group', () => {
    const { stack, template } = synthesized;
    const resources = template.toJSON().Resources;
    for (const { name, fn } of deployed) {
      const role = resources[logicalIdOf(stack, fn.role as never)];
      const logGroupId = (
        functionResource(synthesized, fn).Properties.LoggingConfig as { LogGroup: { Ref: string } }
      ).LogGroup.Ref;
      const logStatements = statementsOf(synthesized, fn).filter((statement) =>
        actionsIn(statement).some((action) => action.startsWith('logs:')),
      );

      expect(role.Properties.ManagedPolicyArns, name).toBeUndefined();
      expect(logStatements, name).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });

  it('is granted no wildcard action, and "*" resources only for X-Ray', () => {
    for (const { name, fn } of deployed) {
      const statements = statementsOf(synthesized, fn);

      expect(
        statements.flatMap(actionsIn).filter((action) => action.includes('*')),
        name,
      ).toEqual([]);
      for (const statement of statements.filter((candidate) => candidate.Resource === '*')) {
        expect(
          actionsIn(statement).every((action) => action.startsWith('xray:')),
          name,
        ).toBe(true);
      }
    }
  });
});

describe('least privilege', () => {
  it('gives read-only functions no DynamoDB write action', () => {
    const readers = deployed.filter(({ spec }) => spec.needs.table === 'read');

    expect(readers.length).toBeGreaterThan(0);
    for (const { name, fn } of readers) {
      const actions = actionsOf(synthesized, fn);

      expect(
        actions.filter((action) => DYNAMODB_WRITES.includes(action)),
        name,
      ).toEqual([]);
      expect(actions, name).toEqual(expect.arrayContaining([...TABLE_ACTIONS.read]));
    }
  });

  it('gives read-write functions the writes a conditional transaction needs', () => {
    const writers = deployed.filter(({ spec }) => spec.needs.table === 'readWrite');

    expect(writers.length).toBeGreaterThan(0);
    for (const { name, fn } of writers) {
      expect(actionsOf(synthesized, fn), name).toEqual(
        expect.arrayContaining([...TABLE_ACTIONS.read, ...TABLE_ACTIONS.write]),
      );
    }
  });

  it('lets no function scan the table', () => {
    for (const { name, fn } of deployed) {
      expect(actionsOf(synthesized, fn), name).not.toContain('dynamodb:Scan');
    }
  });

  it('gives the health check no access to the table, nor to anything else', () => {
    const health = synthesized.stack.http.functions.health;
    const actions = actionsOf(synthesized, health);

    expect(withPrefix(actions, 'dynamodb:')).toEqual([]);
    expect(actions.every((action) => action.startsWith('logs:') || action.startsWith('xray:'))).toBe(true);
    expect(environmentOf(synthesized, health)).not.toHaveProperty('TABLE_NAME');
  });

  it('gives functions that do not handle evidence no S3 access', () => {
    const others = deployed.filter(({ spec }) => !spec.needs.evidence);

    expect(others.length).toBeGreaterThan(0);
    for (const { name, fn } of others) {
      expect(withPrefix(actionsOf(synthesized, fn), 's3:'), name).toEqual([]);
    }
  });

  it('gives evidence readers GetObject (and ListBucket, for honest 404s) and writers only PutObject', () => {
    const expected = {
      read: ['s3:GetObject', 's3:ListBucket'],
      write: ['s3:PutObject'],
      readWrite: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
    };
    for (const { name, spec, fn } of deployed.filter((candidate) => candidate.spec.needs.evidence)) {
      const access = spec.needs.evidence as keyof typeof expected;

      expect(withPrefix(actionsOf(synthesized, fn), 's3:').sort(), name).toEqual(expected[access]);
    }
  });

  it('limits object access to the evidence/ prefix of the evidence bucket', () => {
    const bucketId = logicalIdOf(synthesized.stack, synthesized.stack.data.evidenceBucket);
    for (const { name, fn } of deployed) {
      for (const statement of statementsOf(synthesized, fn)) {
        const objectActions = actionsIn(statement).filter((action) => action.endsWith('Object'));
        if (objectActions.length === 0) continue;

        expect(statement.Resource, name).toEqual({
          'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/evidence/*']],
        });
      }
    }
  });

  it('gives SES sending, the link key, the sign-in cookie key and the workflows only to the functions whose needs name them', () => {
    for (const { name, spec, fn } of deployed) {
      const actions = actionsOf(synthesized, fn);
      const needs: FunctionSpec['needs'] = spec.needs;
      const access = Object.values(needs.workflows ?? {});

      expect(actions.includes('ses:SendEmail'), `${name} mail`).toBe(needs.mail === true);
      expect(actions.includes('secretsmanager:GetSecretValue'), `${name} linkKey or signIn`).toBe(
        needs.linkKey === true || needs.signIn === true,
      );
      expect(actions.includes('states:StartExecution'), `${name} workflows start`).toBe(
        access.some((allowed) => allowed !== 'answer'),
      );
      expect(actions.includes('states:SendTaskSuccess'), `${name} workflows answer`).toBe(
        access.some((allowed) => allowed !== 'start'),
      );
    }
  });
});

describe('environment', () => {
  it('sets every key its needs require at cold start (lib/runtime/config.ts) and no other, besides the house defaults', () => {
    for (const { name, spec, fn } of deployed) {
      const variables = Object.keys(environmentOf(synthesized, fn)).filter(
        (key) => key !== 'NODE_OPTIONS' && key !== 'POWERTOOLS_SERVICE_NAME',
      );
      const keys = configKeysFor(spec.needs);

      expect(
        variables.filter((key) => !keys.includes(key as ConfigKey)),
        name,
      ).toEqual([]);
      expect(
        keys.filter((key) => !OPTIONAL_CONFIG_KEYS.has(key) && !variables.includes(key)),
        name,
      ).toEqual([]);
    }
  });

  it('names each resource a function may use, and none it may not', () => {
    for (const { name, spec, fn } of deployed) {
      const variables = environmentOf(synthesized, fn);
      const needs: FunctionSpec['needs'] = spec.needs;

      expect('SIGN_IN_KEY_SECRET_ARN' in variables, `${name} SIGN_IN_KEY_SECRET_ARN`).toBe(
        needs.signIn === true,
      );
      expect('TABLE_NAME' in variables, `${name} TABLE_NAME`).toBe(needs.table !== undefined);
      expect('EVIDENCE_BUCKET' in variables, `${name} EVIDENCE_BUCKET`).toBe(needs.evidence !== undefined);
      expect('MAIL_FROM' in variables, `${name} MAIL_FROM`).toBe(needs.mail === true);
      expect('LINK_KEY_SECRET_ARN' in variables, `${name} LINK_KEY_SECRET_ARN`).toBe(needs.linkKey === true);
      expect('SIGN_IN_ISSUER' in variables, `${name} SIGN_IN_ISSUER`).toBe(
        needs.sessions === true || needs.signIn === true,
      );
      expect(
        Object.keys(variables).some((key) => key.startsWith('STATE_MACHINE_ARN_')),
        `${name} STATE_MACHINE_ARN_*`,
      ).toBe(needs.workflows !== undefined);
      expect('PUBLIC_BASE_URL' in variables, `${name} PUBLIC_BASE_URL`).toBe(
        needs.mail === true || needs.linkKey === true || needs.sessions === true || needs.signIn === true,
      );
    }
  });

  it('gives TABLE_NAME and EVIDENCE_BUCKET as references to the stack’s own table and bucket', () => {
    const { stack } = synthesized;
    for (const { name, fn } of deployed) {
      const variables = environmentOf(synthesized, fn);
      if ('TABLE_NAME' in variables) {
        expect(variables.TABLE_NAME, name).toEqual({ Ref: logicalIdOf(stack, stack.data.table) });
      }
      if ('EVIDENCE_BUCKET' in variables) {
        expect(variables.EVIDENCE_BUCKET, name).toEqual({
          Ref: logicalIdOf(stack, stack.data.evidenceBucket),
        });
      }
    }
  });

  it('gives the sign-in issuer and its client to the functions behind session pages, and only to them', () => {
    const { stack } = synthesized;
    const sessionFunctions = new Set(
      routes.filter((route) => route.auth === 'session').map((route) => route.function),
    );

    expect(sessionFunctions.size).toBeGreaterThan(0);
    for (const { name, fn } of deployed) {
      const variables = environmentOf(synthesized, fn);
      if (name.startsWith('http.') && sessionFunctions.has(name.slice(5) as never)) {
        expect(variables, name).toMatchObject({
          SIGN_IN_ISSUER: {
            'Fn::Join': [
              '',
              expect.arrayContaining([{ Ref: logicalIdOf(stack, cognitoOf(stack).userPool) }]),
            ],
          },
          SIGN_IN_CLIENT_ID: { Ref: logicalIdOf(stack, cognitoOf(stack).client) },
        });
      } else {
        expect(variables, name).not.toHaveProperty('SIGN_IN_ISSUER');
      }
    }
  });
});

describe('the identity directory (issue 14 §1)', () => {
  it('lets only the administration (its API and its pages’ forms) create, enable and disable users, of the stack’s own user pool', () => {
    const { stack } = synthesized;
    const pool = { 'Fn::GetAtt': [logicalIdOf(stack, cognitoOf(stack).userPool), 'Arn'] };
    for (const { name, fn } of deployed) {
      const cognito = statementsOf(synthesized, fn).filter((statement) =>
        actionsIn(statement).some((action) => action.startsWith('cognito-idp:')),
      );
      if (name === 'http.adminApi' || name === 'http.adminPages') {
        expect(cognito.flatMap(actionsIn).sort(), name).toEqual([
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminGetUser',
        ]);
        expect(cognito.map((statement) => statement.Resource)).toEqual([pool]);
        expect(environmentOf(synthesized, fn).USER_POOL_ID).toEqual({
          Ref: logicalIdOf(stack, cognitoOf(stack).userPool),
        });
      } else {
        expect(cognito, name).toEqual([]);
      }
    }
  });
});
