'use strict';
// A Lambda handler as AWS runs it behind an HTTP API: the v2 event in, { statusCode, headers, body } out.

let calls = 0; // module-level state lives as long as the container

exports.handler = async (event, context) => {
  calls += 1;
  const name = event.queryStringParameters?.name || 'world';
  console.log(`greeting ${name}`);
  const input = event.body ? JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : null;
  if (input && input.fail) {
    return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: input.fail }) };
  }
  return {
    statusCode: input && input.created ? 201 : 200,
    headers: { 'content-type': 'application/json', 'x-greeting': process.env.GREETING || 'Hi' },
    cookies: ['visited=yes; Path=/'],
    body: JSON.stringify({
      message: `${process.env.GREETING || 'Hi'}, ${name}!`,
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: event.queryStringParameters || {},
      header: event.headers['x-test'] || null,
      input,
      requestId: context.awsRequestId,
      remainingMs: context.getRemainingTimeInMillis(),
      calls,
    }),
  };
};
