export async function route(request, url, env) {
  if (url.pathname === '/teapot') {
    return new Response("I'm a teapot", { status: 418, headers: { 'content-type': 'text/plain' } });
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
  return Response.json({
    greeting: `${env.GREETING || 'Hello'}, ${url.searchParams.get('name') || 'world'}!`,
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    header: request.headers.get('x-test'),
    body,
  }, { status: url.searchParams.has('created') ? 201 : 200, headers: { 'x-style': 'workers' } });
}
