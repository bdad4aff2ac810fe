// The load generator, in its own process so that it never shares an event loop with a server under test:
//   node bench/load.mjs '<autocannon options as JSON>'
// Prints autocannon's summary as one JSON line.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon(options);
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }) + '\n',
);
