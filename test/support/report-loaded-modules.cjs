// Preloaded with NODE_OPTIONS=--require: at exit, says how many modules of the OpenTelemetry SDK and of the Redis
// client the process had loaded. The OpenTelemetry API package alone does not count: prom-client loads it for
// exemplars whatever the gateway does, and without an SDK registered it is a no-op.
process.on('exit', () => {
  const paths = Object.keys(require.cache);
  const sdk = paths.filter((path) => path.includes('/@opentelemetry/') && !path.includes('/@opentelemetry/api/')).length;
  const redis = paths.filter((path) => path.includes('/@redis/')).length;
  process.stderr.write(`opentelemetry sdk modules loaded: ${sdk}\nredis client modules loaded: ${redis}\n`);
});
