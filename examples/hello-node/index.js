// Module-level state lives as long as the warm container: count calls to show it.
let calls = 0;

module.exports.hello = {
  definition: async (req, res) => {
    calls += 1;
    const name = req.query.name || 'world';
    console.log(`greeting ${name}`);
    res.json({ message: `${process.env.GREETING}, ${name}!`, calls });
  },
  config: { timeout: 10000 },
};
