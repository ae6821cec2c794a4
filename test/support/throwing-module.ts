/** A module whose function throws on a known line: test/unit/stack-traces.test.ts reads its stacks. */
export function refuse(): never {
  throw new Error('refused here');
}
