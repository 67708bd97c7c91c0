'use strict';
// The (req, res) handler of a loaded function, by its style. Only the spec style loads Express.

function createHandler(fn) {
  switch (fn.style) {
    case 'spec': return require('../app').createApp(fn);
    case 'lambda': return require('./lambda').create(fn);
    case 'workers': return require('./workers').create(fn);
    case 'plain': return require('./plain').create(fn);
    default: throw new Error(`unknown style '${fn.style}'`);
  }
}

module.exports = { createHandler };
