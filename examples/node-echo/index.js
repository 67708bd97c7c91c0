'use strict';
// Answers with what it was called with: method, path, query, the X-Test header, the body and the request id, with the
// status from the query (?status=201). /throw throws (the wrapper answers 500 and the process lives on) and
// /sleep?ms=N sleeps (past the timeout, the wrapper answers 504).

let calls = 0; // module-level state lives as long as the warm container

module.exports.echo = {
  definition: async (req, res) => {
    calls += 1;
    if (req.path === '/throw') {
      throw new Error('boom from node-echo');
    }
    if (req.path === '/sleep') {
      await new Promise((resolve) => setTimeout(resolve, Number(req.query.ms || 0)));
    }
    console.log(`node-echo: ${req.method} ${req.path}`);
    res.status(Number(req.query.status || 200)).set('X-Echo', 'yes').json({
      method: req.method,
      path: req.path,
      query: req.query,
      header: req.get('x-test') || null,
      body: req.body,
      requestId: req.get('x-epsilon-request-id') || null,
      greeting: process.env.GREETING || null,
      calls,
    });
  },
};
