'use strict';
// The spec style (module.exports.<name> = { definition: async (req, res) => ..., config }): the Express app that
// runs each call: request id, log context, body parsing, the function, its timeout and its errors. Built by
// server.js; check.js builds it too at image build time (without serving), so the module cache covers express.
// The other styles do not load Express at all (calls.js).

const express = require('express');
const { log, requestContext, stackOf } = require('./logging');
const { requestIdOf, failed, timedOut, sendError, REQUEST_ID_HEADER, BODY_LIMIT } = require('./calls');

const CALL = Symbol('epsilon.call');

/** fn: what loader.loadFunction returned ({ name, definition, timeoutMs, ... }). */
function createApp(fn) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal'); // the gateway, on the private bridge network

  /** Request id, timeout and the log context of one call. */
  function beginCall(req, res, next) {
    const call = { requestId: requestIdOf(req), timedOut: false, timer: null };
    req[CALL] = call;
    res.setHeader(REQUEST_ID_HEADER, call.requestId);
    res.once('close', () => clearTimeout(call.timer));
    requestContext.run(call, () => {
      call.timer = setTimeout(timedOut, fn.timeoutMs, fn, res, call);
      next();
    });
  }

  function invoke(req, res) {
    const call = req[CALL];
    if (call.timedOut) return; // receiving the body took the whole time; the 504 is out
    // Entered again: body parsing resumes from stream events, which carry the socket's async context.
    requestContext.run(call, () => {
      let result;
      try {
        result = fn.definition.call(fn.exported, req, res); // `this` is the export, as for a method
        if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
          result.then(() => returned(res, call), (err) => failed(fn, res, call, err));
          return;
        }
      } catch (err) {
        failed(fn, res, call, err);
        return;
      }
      returned(res, call);
    });
  }

  function returned(res, call) {
    if (call.timedOut || res.headersSent) return;
    // Nothing sent: a plain OK (200 unless the handler set another status).
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.send('OK');
  }

  /** Errors before the function runs: the body (too large, bad JSON, unknown encoding) or Express itself. */
  function requestFailed(err, req, res, _next) {
    const call = req[CALL];
    if (!call || err.type === 'request.aborted') {
      if (!res.writableEnded) res.destroy();
      return;
    }
    requestContext.run(call, () => {
      if (call.timedOut || res.writableEnded) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = Number(err.status || err.statusCode) || 500;
      if (err.type === 'entity.too.large') {
        log.warn(`epsilon: request refused (413): body larger than ${BODY_LIMIT} bytes`);
        sendError(res, call, 413, 'PayloadTooLarge', `request body is larger than the limit of ${BODY_LIMIT} bytes (6 MB)`);
      } else if (status >= 400 && status < 500) {
        const code = status === 415 ? 'UnsupportedMediaType' : 'InvalidRequestBody';
        log.warn(`epsilon: request refused (${status}): ${err.message}`);
        sendError(res, call, status, code, String(err.message));
      } else {
        log.error(`epsilon: request failed: ${stackOf(err)}`);
        sendError(res, call, 500, 'InternalError', 'the function wrapper failed to handle the request');
      }
    });
  }

  app.use(beginCall);
  // req.body as common FaaS wrappers give it: JSON, text, form fields, or the raw bytes (a Buffer).
  app.use(express.json({ limit: BODY_LIMIT, strict: false, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ limit: BODY_LIMIT, extended: true, type: 'application/x-www-form-urlencoded' }));
  app.use(express.text({ limit: BODY_LIMIT, type: 'text/*' }));
  app.use(express.raw({ limit: BODY_LIMIT, type: () => true }));
  app.use(invoke);
  app.use(requestFailed);
  return app;
}

module.exports = { createApp, BODY_LIMIT };
