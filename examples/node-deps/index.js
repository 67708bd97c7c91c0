'use strict';
// Epsilon spec style, with a dependency from npm (installed at build time from package-lock.json).
const ms = require('ms');

const VERSION = 'v1';

module.exports.durations = {
  definition: async (req, res) => {
    const text = req.query.duration || (req.body && req.body.duration);
    if (!text) {
      res.status(400).json({ error: 'give a duration, e.g. ?duration=2h' });
      return;
    }
    const value = ms(String(text));
    if (value === undefined) {
      res.status(422).json({ error: `'${text}' is not a duration` });
      return;
    }
    res.set('X-Ms-Version', require('ms/package.json').version).json({
      duration: text,
      milliseconds: value,
      long: ms(value, { long: true }),
      path: req.path,
      header: req.get('x-test') || null,
      version: VERSION,
    });
  },
  config: { timeout: 10000 },
};
