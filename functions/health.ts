import type { APIGatewayProxyResultV2 } from 'aws-lambda';

/** Answers once the function can serve; the local runtime only routes here after start-up. */
export const createHandler = () => async (): Promise<APIGatewayProxyResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ status: 'ok' }),
});

export const handler = createHandler();
