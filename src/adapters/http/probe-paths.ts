/** Where the platform's probes and scrapers ask: the admin listener's whole surface. */
export const PROBES = {
  live: '/health/live',
  ready: '/health/ready',
  metrics: '/metrics',
} as const;

export const PROBE_PATHS: ReadonlySet<string> = new Set(Object.values(PROBES));
