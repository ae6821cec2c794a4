import { Aws, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CALLBACK_PATH, REFRESH_TOKEN_HOURS, SIGNED_OUT_PATH } from '../../lib/identity/sign-in.ts';

/** What the pages and the API's JWT authorizer need to know of the sign-in provider. */
export interface SignInResources {
  /** The `iss` of its tokens (the authorizer's issuer; the pages discover the rest from it). */
  issuer: string;
  /** The app client: the audience of its tokens. */
  clientId: string;
  /** Cognito's managed-login `/logout`; absent for an OIDC provider (its `end_session_endpoint`). */
  logoutEndpoint?: string | undefined;
  /** The key the sign-in cookies are encrypted with. */
  cookieKey: Secret;
}

export interface FundflowIdentityProps {
  /** The pages' public base URL: the app client's callback and sign-out URLs are made from it. */
  publicBaseUrl: string;
}

/**
 * Who may sign in (DESIGN.md decision 12). What a person may do comes from the directory in the table,
 * not from the provider.
 *
 * CDK context `fundflow:identity` (docs/runbook.md "Deploy"):
 * - `cognito` (the default): a user pool the administrator fills — no self sign-up — with its managed
 *   login on a Cognito domain (prefix `fundflow:signInDomainPrefix`) and one app client: the
 *   authorization code flow with PKCE only (no implicit grant, no secret), the callback and sign-out
 *   URLs made from `fundflow:publicBaseUrl`.
 * - `oidc`: the company's own OpenID Connect provider (`fundflow:oidcIssuer`, `fundflow:oidcClientId`),
 *   where Cognito user pools are not offered — AWS's China regions (the AWS China user guide: "Amazon
 *   Cognito User Pools are not currently available"). No user pool is made.
 */
export class FundflowIdentity extends Construct {
  readonly userPool: UserPool | undefined;
  readonly client: UserPoolClient | undefined;
  readonly domain: UserPoolDomain | undefined;
  readonly signIn: SignInResources;

  constructor(scope: Construct, id: string, props: FundflowIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cookieKey = new Secret(this, 'SignInCookieKey', {
      description: 'Key of the sign-in cookies (the flow’s state and PKCE verifier, the refresh token)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cookieKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the cookie key only makes everyone sign in again; it is rotated by hand (runbook) when needed.',
    });

    const kind = this.node.tryGetContext('fundflow:identity') ?? 'cognito';
    if (kind === 'oidc') {
      const issuer = this.node.tryGetContext('fundflow:oidcIssuer');
      const clientId = this.node.tryGetContext('fundflow:oidcClientId');
      if (typeof issuer !== 'string' || !issuer.startsWith('https://') || typeof clientId !== 'string') {
        throw new Error(
          'fundflow:identity=oidc needs fundflow:oidcIssuer (an https URL) and fundflow:oidcClientId (docs/runbook.md "Deploy").',
        );
      }
      this.userPool = undefined;
      this.client = undefined;
      this.domain = undefined;
      this.signIn = {
        issuer,
        clientId,
        logoutEndpoint: this.node.tryGetContext('fundflow:oidcLogoutEndpoint'),
        cookieKey,
      };
      return;
    }
    if (kind !== 'cognito') throw new Error(`fundflow:identity is cognito or oidc, not ${String(kind)}`);
    if (!Token.isUnresolved(stack.region) && stack.region.startsWith('cn-')) {
      throw new Error(
        `Cognito user pools are not available in ${stack.region}: deploy with -c fundflow:identity=oidc and your OIDC provider (docs/runbook.md "Deploy").`,
      );
    }

    const userPool = new UserPool(this, 'People', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The managed login pages: a prefix of the company's choosing, unique per region (the account id
    // by default, which nobody else has).
    const domain = userPool.addDomain('ManagedLogin', {
      cognitoDomain: {
        domainPrefix: this.node.tryGetContext('fundflow:signInDomainPrefix') ?? `fundflow-${Aws.ACCOUNT_ID}`,
      },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const base = props.publicBaseUrl.replace(/\/$/, '');
    const client = userPool.addClient('Web', {
      // SRP for scripts that call the API with a token; the pages use the code flow below.
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        // The authorization code grant only (with PKCE, enforced by the pages): no implicit grant, no
        // client credentials — CDK's default would allow the implicit grant.
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${base}${CALLBACK_PATH}`],
        logoutUrls: [`${base}${SIGNED_OUT_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(REFRESH_TOKEN_HOURS),
    });
    // Managed login shows a page only for a client with a style: Cognito's own.
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.userPool = userPool;
    this.client = client;
    this.domain = domain;
    this.signIn = {
      // The pool's issuer, in whichever partition the stack lands (amazonaws.com or amazonaws.com.cn).
      issuer: `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${userPool.userPoolId}`,
      clientId: client.userPoolClientId,
      logoutEndpoint: `${domain.baseUrl()}/logout`,
      cookieKey,
    };
  }
}
