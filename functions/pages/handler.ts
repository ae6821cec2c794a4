// Placeholder: being written (issue 2).
export const createHandler = () => async () => ({ statusCode: 501, body: 'pages are not written yet' });
export const handler = createHandler();
