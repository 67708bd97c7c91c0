'use strict';
// The plain style: a node http handler, given node's own IncomingMessage and ServerResponse (no Express).
//   module.exports = (req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('hi'); }
// req.url is the function-relative path and query (the gateway strips /<function>); the body is the request stream,
// unread. The call ends when the response does (a returned promise does not end it, as with http.createServer):
// a throw or rejection before the answer is a 500, no answer within the timeout a 504. An Express or Connect app
// (app(req, res, next)) is such a handler too.

const { createCallHandler } = require('../calls');

function create(fn) {
  const handler = fn.handler;
  return createCallHandler(fn, (req, res) => handler.call(fn.thisArg, req, res));
}

module.exports = { create };
