// A Workers-style module: WHATWG Request in, Response out. `env` has the function's variables, `ctx.waitUntil` keeps
// work going after the answer.
import { route } from './routes.js';

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    ctx.waitUntil(Promise.resolve().then(() => console.log(`served ${request.method} ${url.pathname}`)));
    return route(request, url, env);
  },
};
