'use strict';
// A plain node http handler, as given to http.createServer: node's own req and res, req.url relative to the function.

module.exports = (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const status = Number(url.searchParams.get('status') || 200);
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Style': 'plain' });
    res.end(JSON.stringify({
      method: req.method,
      url: req.url,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      header: req.headers['x-test'] || null,
      body: Buffer.concat(chunks).toString('utf8'),
    }));
  });
};
