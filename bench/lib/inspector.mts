/**
 * Asks a Node process started with --inspect to collect its garbage, through the inspector protocol, so the
 * heap it reports next is what is still alive rather than what has not been collected yet. Measurement only:
 * the service has no code for this.
 */
export async function collectGarbage(inspectorUrl: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${inspectorUrl}`)), { once: true });
  });
  try {
    for (let id = 1; id <= 2; id++) {
      const done = new Promise<void>((resolve) => {
        const onMessage = (event: MessageEvent): void => {
          if (typeof event.data === 'string' && JSON.parse(event.data).id === id) {
            socket.removeEventListener('message', onMessage);
            resolve();
          }
        };
        socket.addEventListener('message', onMessage);
      });
      socket.send(JSON.stringify({ id, method: 'HeapProfiler.collectGarbage' }));
      await done;
    }
  } finally {
    socket.close();
  }
}
