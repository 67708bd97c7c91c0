// An eserveless repository, deployed unchanged: a plain Node http handler and a cron function.
function API(req, res) {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello, World! ${req.method} ${req.url}`);
}

function Ticker(envs) {
  console.log(`Ticker ticked at ${Date.now()} ${JSON.stringify(envs)}`);
}

module.exports = { API, Ticker };
