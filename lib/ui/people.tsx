/** People as pages show them: the directory name, the email beside it in small type. */

/** Email → display name, for the people a page mentions (a missing name falls back to the email). */
export type Names = ReadonlyMap<string, string>;

export function Who({ email, names }: { email: string; names: Names }) {
  const name = names.get(email);
  if (!name) return <>{email}</>;
  return (
    <>
      {name} <small>{email}</small>
    </>
  );
}

/** A name alone (an email when the directory has none), for a line of text. */
export const nameOf = (email: string, names: Names): string => names.get(email) ?? email;
