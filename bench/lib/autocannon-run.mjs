// One autocannon run in its own process (the load generator), so its CPU is measured apart from
// the server's: prints autocannon's result and this process's own CPU time as one JSON line.
// Input (argv[2], JSON): { url, connections, durationS, method, body, headers }.
import autocannon from 'autocannon';

const plan = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.durationS,
  method: plan.method,
  body: plan.body,
  headers: plan.headers,
});
const { user, system } = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ result, cpuSeconds: (user + system) / 1e6 })}\n`);
