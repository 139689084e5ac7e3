// Preloaded with NODE_OPTIONS=--require: at exit, says how many OpenTelemetry SDK modules the process had loaded.
// The API package alone does not count: prom-client loads it for exemplars whatever the gateway does, and
// without an SDK registered it is a no-op.
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((path) => path.includes('/@opentelemetry/') && !path.includes('/@opentelemetry/api/')).length;
  process.stderr.write(`opentelemetry sdk modules loaded: ${loaded}\n`);
});
