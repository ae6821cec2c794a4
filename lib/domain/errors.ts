/**
 * Typed errors. Every error a caller may see carries an HTTP-ish `statusCode` (4xx), a stable `code`
 * and optional `issues`; the HTTP edge maps them in one place (lib/http/errors.ts). Anything that is
 * not an AppError is a bug and becomes a generic 500 there.
 */
export interface Issue {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly issues: Issue[];

  constructor(message: string, options: { issues?: Issue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.issues = options.issues ?? [];
  }
}

/** Input that does not have the right shape (zod at the edge, or a value the domain cannot parse). */
export class ValidationError extends AppError {
  readonly statusCode = 400;
  readonly code = 'VALIDATION_FAILED';
}

/** An error whose code is chosen where it is thrown (one class, many specific codes). */
abstract class CodedError extends AppError {
  // Fields, not constructor parameter properties: Node's own type stripping (reconcile()'s worker
  // threads, lib/reconciliation/threads.ts) refuses those.
  readonly code: string;
  constructor(code: string, message: string, options: { issues?: Issue[]; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** A well-formed request that a business rule refuses. */
export class RuleViolationError extends CodedError {
  readonly statusCode = 422;
}

export class NotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends CodedError {
  readonly statusCode = 409;
}

/** The same Idempotency-Key sent again with another request (a form sent twice after an edit, …). */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(message: string, options: { issues?: Issue[]; cause?: unknown } = {}) {
    super('IDEMPOTENCY_KEY_REUSED', message, options);
  }
}

export class UnauthorizedError extends AppError {
  readonly statusCode = 401;
  readonly code = 'UNAUTHORIZED';
}

/** A sign-in that cannot be completed: a forged, expired or foreign flow, a refused code. */
export class SignInError extends AppError {
  readonly statusCode = 400;
  readonly code = 'SIGN_IN_FAILED';
}

export class ForbiddenError extends AppError {
  readonly statusCode = 403;
  readonly code = 'FORBIDDEN';
}

/** Only people with one of `roles` may do this (a page names them in words, lib/ui/labels.ts). */
export class MissingRoleError extends ForbiddenError {
  readonly roles: readonly string[];
  constructor(roles: readonly string[]) {
    super(
      `您的角色不能做这件事。This needs one of these roles: ${roles.map((role) => role.toLowerCase().replaceAll('_', ' ')).join(', ')}.`,
    );
    this.roles = roles;
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly statusCode = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/**
 * POLICY D16 (lib/domain/calendar.ts; here, not there, so a page that shows the refusal does not load
 * the official holiday data with the calendar): a calendar change that would move dates already computed (payment days, batch days,
 * deadlines), refused until the administrator confirms it; its issues name the documents.
 */
export class CalendarChangeAffectsDocumentsError extends ConflictError {
  constructor(message: string, issues: { path: string; message: string }[]) {
    super('CALENDAR_CHANGE_AFFECTS_DOCUMENTS', message, { issues });
  }
}
