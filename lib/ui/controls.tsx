/**
 * Form controls: a field with its label, its hint and its own error; every error of a refused form
 * at once (ErrorSummary, above the form, and each beside its field); buttons as classes; banners.
 * Inputs carry `aria-invalid` and point at their error and hint (`aria-describedby`).
 */
import { type ComponentChildren, h } from 'preact';
import type { AppError, Issue } from '../domain/errors.ts';
import { plainMessage } from './format.ts';
import { errorLabel, labelText } from './labels.ts';

/** A refusal as a page shows it: its code (never on screen: it picks the label), message, issues. */
export interface FormError {
  code?: string | undefined;
  statusCode?: number | undefined;
  message: string;
  issues: Issue[];
}

/** A typed refusal as its form shows it. */
export const formErrorOf = (error: AppError): FormError => ({
  code: error.code,
  statusCode: error.statusCode,
  message: error.message,
  issues: error.issues,
});

/**
 * The issues of one field: those at one of its paths or under it (`orderIds` takes `orderIds.2`,
 * `payee.account` only that part of the payee).
 */
export function issuesAt(error: FormError | undefined, ...paths: string[]): string[] {
  if (!error) return [];
  return error.issues
    .filter((issue) => paths.some((path) => issue.path === path || issue.path.startsWith(`${path}.`)))
    .map((issue) => plainMessage(issue.message));
}

/** What the pages set on an input (every other attribute is the kit's own business). */
interface InputProps {
  type?: 'text' | 'date' | 'file' | 'email' | 'number';
  value?: string | undefined;
  required?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'email';
  accept?: string;
  multiple?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: string;
  max?: string;
}

interface FieldProps {
  /** The control's name; its id unless `id` is given. */
  name: string;
  id?: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  /** This field's own errors (issuesAt). */
  errors?: string[];
}

function described(id: string, hint: unknown, errors: string[]) {
  const ids = [...(errors.length > 0 ? [`${id}-error`] : []), ...(hint ? [`${id}-hint`] : [])];
  return {
    ...(ids.length > 0 ? { 'aria-describedby': ids.join(' ') } : {}),
    ...(errors.length > 0 ? { 'aria-invalid': 'true' as const } : {}),
  };
}

/** The label above, the control, the hint and the field's own errors below. */
function Field(props: FieldProps & { children: ComponentChildren }) {
  const id = props.id ?? props.name;
  const errors = props.errors ?? [];
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small class="hint" id={`${id}-hint`}>
          {props.hint}
        </small>
      )}
      {errors.length > 0 && (
        <span class="field-error" id={`${id}-error`}>
          {errors.join(' ')}
        </span>
      )}
    </div>
  );
}

export function TextField(props: FieldProps & InputProps) {
  const { name, id = name, label, hint, errors = [], ...input } = props;
  return (
    <Field name={name} id={id} label={label} hint={hint} errors={errors}>
      {/* h(): preact types each input `type` apart; these attributes are the kit's own, listed above. */}
      {h('input', { id, name, ...input, ...described(id, hint, errors) })}
    </Field>
  );
}

export function TextArea(
  props: FieldProps & {
    value?: string;
    required?: boolean;
    placeholder?: string;
    maxLength?: number;
  },
) {
  const { name, id = name, label, hint, errors = [], value, ...area } = props;
  return (
    <Field name={name} id={id} label={label} hint={hint} errors={errors}>
      <textarea id={id} name={name} {...area} {...described(id, hint, errors)}>
        {value}
      </textarea>
    </Field>
  );
}

export function SelectField(
  props: FieldProps & {
    options: { value: string; label: string }[];
    value?: string | undefined;
    required?: boolean;
  },
) {
  const { name, id = name, label, hint, errors = [], options, value, required } = props;
  return (
    <Field name={name} id={id} label={label} hint={hint} errors={errors}>
      <select id={id} name={name} required={required} {...described(id, hint, errors)}>
        {options.map((option) => (
          <option value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A checkbox with its words beside it (never a box floating alone on its own line). */
export function Checkbox(props: {
  name: string;
  value: string;
  label: ComponentChildren;
  id?: string;
  required?: boolean;
  /** Ticked already (a form shown again keeps what was ticked). */
  checked?: boolean;
}) {
  const { name, value, label, id, required, checked } = props;
  return (
    <label class="check" for={id}>
      <input type="checkbox" id={id} name={name} value={value} required={required} checked={checked} />{' '}
      <span>{label}</span>
    </label>
  );
}

export type ButtonKind = 'primary' | 'secondary' | 'danger';

/** A submit button; its look is its kind's class (inline styles are blocked by the CSP). */
export function Button(props: {
  kind?: ButtonKind;
  name?: string;
  value?: string;
  children: ComponentChildren;
}) {
  const { kind = 'primary', name, value, children } = props;
  return (
    <button type="submit" class={`btn btn-${kind}`} name={name} value={value}>
      {children}
    </button>
  );
}

/** A row of buttons that wraps on a phone. */
export function Buttons({ children }: { children: ComponentChildren }) {
  return <div class="buttons">{children}</div>;
}

export type BannerKind = 'info' | 'success' | 'warning' | 'error';

export function Banner(props: {
  kind: BannerKind;
  title?: ComponentChildren;
  role?: 'alert' | 'status' | 'note';
  children?: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`banner banner-${props.kind}${props.class ? ` ${props.class}` : ''}`} role={props.role}>
      {props.title && <h2>{props.title}</h2>}
      {props.children}
    </div>
  );
}

/**
 * Every issue of a refusal at once, each named by the field it concerns (`labels`, keyed by the issue
 * path's first segment) when the page knows it: the refusal's plain-words label, its message, then its
 * issues (the lead message is not repeated as the only issue). No code and no clause reference shows.
 */
export function ErrorSummary(props: { error: FormError; labels?: Record<string, string>; title?: string }) {
  const { error } = props;
  const message = plainMessage(error.message);
  const issues = error.issues.map((issue) => ({ ...issue, message: plainMessage(issue.message) }));
  const repeatsMessage = issues.length === 1 && issues[0]?.message === message;
  return (
    <Banner kind="error" role="alert" class="errors" title={props.title ?? '未提交 Not submitted'}>
      {error.code && <p>{labelText(errorLabel(error.code, error.statusCode ?? 400))}</p>}
      <p>{message}</p>
      {issues.length > 0 && !repeatsMessage && (
        <ul>
          {issues.map((issue) => {
            const field = props.labels?.[issue.path.split('.')[0] ?? ''];
            return (
              <li>
                {field && <strong>{field}: </strong>}
                {issue.message}
              </li>
            );
          })}
        </ul>
      )}
    </Banner>
  );
}
