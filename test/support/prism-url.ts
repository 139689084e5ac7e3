/** The Prism mock started by the global setup for integration and end-to-end tests. */
export function prismUrl(): string {
  const url = process.env['PRISM_URL'];
  if (url === undefined) throw new Error('PRISM_URL is not set: run these tests through jest, whose global setup starts Prism');
  return url;
}
