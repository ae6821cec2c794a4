/**
 * The pages every capability shares: an error page for the signed-in pages, and the outcome page of
 * the pages behind email links (what happened, in words; also their error page).
 */
import type { ComponentChildren } from 'preact';
import type { Person, Role } from '../domain/model.ts';
import { plainMessage } from './format.ts';
import { errorPageTitle, labelText, ROLE_LABELS } from './labels.ts';
import { Layout } from './layout.tsx';

export function ErrorPage(props: {
  status: number;
  message: string;
  person?: Person | undefined;
  /** A 403 for want of a role: the roles that may, in words. */
  roles?: readonly string[] | undefined;
}) {
  const title = labelText(errorPageTitle(props.status));
  const roles = (props.roles ?? []).flatMap((role) => {
    const label = ROLE_LABELS[role as Role];
    return label ? [labelText(label)] : [];
  });
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      <p class="card">{plainMessage(props.message)}</p>
      {roles.length > 0 && (
        <p class="muted" data-testid="roles-that-may">
          可以做这件事的角色 Who may: {roles.join('、')}
        </p>
      )}
      <p>
        <a href="/">返回首页 Back to the start</a>
      </p>
    </Layout>
  );
}

/** A page behind an email link after its form was sent, or when the link cannot be used. */
export function OutcomePage(props: { title: string; message: string; children?: ComponentChildren }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="card">{plainMessage(props.message)}</p>
      {props.children}
    </Layout>
  );
}

/** The page for a link that cannot be used: what happened, in words. */
export function LinkErrorPage(props: { status: number; message: string }) {
  const title = props.status < 500 ? '无法完成 Cannot do that' : '出错了 Something went wrong';
  return OutcomePage({ title, message: props.message });
}
