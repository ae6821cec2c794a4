/**
 * The size DynamoDB counts for an item, by its published rules ("Item sizes and formats"): attribute
 * names and strings in UTF-8 bytes; a number up to 21 bytes (38 significant digits: counted at the
 * most); a boolean or null 1 byte; a list or map 3 bytes plus, per element, its size and 1 byte (a map
 * element's size includes its name). `undefined` is left out, as the document client does.
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => (value === undefined ? sum : sum + Buffer.byteLength(name) + valueBytes(value)),
    0,
  );
}

const NUMBER_BYTES = 21;

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + valueBytes(element) + 1, 0);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, field]) => field !== undefined,
    );
    return (
      3 + entries.reduce((sum, [name, field]) => sum + Buffer.byteLength(name) + valueBytes(field) + 1, 0)
    );
  }
  throw new Error(`no DynamoDB type for ${typeof value}`);
}
