import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type DocumentClientPlugin = Parameters<DynamoDBDocumentClient['middlewareStack']['use']>[0];

/**
 * Asks DynamoDB for the consumed capacity of every call and adds up the write units — the figure
 * on-demand tables bill by. A benchmark tool, not production code.
 */
export class CapacityMeter {
  writeUnits = 0;

  reset(): void {
    this.writeUnits = 0;
  }

  plugin(): DocumentClientPlugin {
    return {
      applyToStack: (stack) => {
        stack.add(
          (next) => async (args) => {
            const input = args.input as Record<string, unknown>;
            input.ReturnConsumedCapacity = 'TOTAL';
            const result = await next(args);
            const output = result.output as { ConsumedCapacity?: unknown };
            const consumed = Array.isArray(output.ConsumedCapacity)
              ? output.ConsumedCapacity
              : output.ConsumedCapacity
                ? [output.ConsumedCapacity]
                : [];
            for (const entry of consumed as { WriteCapacityUnits?: number; CapacityUnits?: number }[]) {
              this.writeUnits += entry.WriteCapacityUnits ?? 0;
            }
            return result;
          },
          { step: 'initialize', name: 'capacityMeter' },
        );
      },
    };
  }
}
