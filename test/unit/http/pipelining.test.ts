import { connect } from 'node:net';
import { TOKENS } from '../../../src/composition/tokens';
import { startControlledGateway, type ControlledGateway } from '../../support/controlled-gateway';
import { decision } from '../../support/fake-authority';

const CLIENT_INFO = '{"client_id":"42","client_secret":"s3cr3t","registration_access_token":"rat-42"}';
const METADATA = '{"redirect_uris":["https://client.example.org/cb"]}';

function registration(extraHeaders = ''): string {
  return `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extraHeaders}Content-Length: ${METADATA.length}\r\n\r\n${METADATA}`;
}

const WRONG_MEDIA_TYPE = `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}`;

/** Writes `bytes` on a new connection in one go and resolves with every status line and Connection header it got, once it closes. */
function exchange(url: string, bytes: string): Promise<Array<{ status: number; connection: string | undefined }>> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () =>
      resolve(
        [...text.matchAll(/HTTP\/1\.1 (\d{3})[^\r]*\r\n((?:[^\r]+\r\n)*)\r\n/g)].map((answer) => ({
          status: Number(answer[1]),
          connection: /^connection: (.+)$/im.exec(answer[2] ?? '')?.[1],
        })),
      ),
    );
  });
}

describe('requests pipelined on one connection', () => {
  it('during shutdown, answers what it handles, closes after the last answer, and handles nothing read after it', async () => {
    const gateway = await startControlledGateway({ SHUTDOWN_DELAY_MS: 3_000 });
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
    const stopped = gateway.stop();
    try {
      const answers = await exchange(gateway.url, registration() + WRONG_MEDIA_TYPE + registration());

      // Node reads pipelined requests as it goes: here the third is read once the second is answered, and that
      // answer has closed the connection. Whatever the split, every registration Authlete saw was answered, only
      // the last answer closes, and no client is created that nobody would hear of.
      expect(answers.slice(0, 2)).toEqual([
        { status: 201, connection: 'keep-alive' },
        { status: 415, connection: answers.length === 2 ? 'close' : 'keep-alive' },
      ]);
      expect(answers.at(-1)?.connection).toBe('close');
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(gateway.authority.received.length);
      expect(gateway.log.records().filter((line) => line['outcome'] === 'client_closed')).toEqual([]);
    } finally {
      await stopped;
    }
  });

  it('ignores what follows a request that asked to close the connection, and answers that request', async () => {
    const gateway = await startControlledGateway({});
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
    try {
      const answers = await exchange(gateway.url, registration('Connection: close\r\n') + registration());

      expect(answers).toEqual([{ status: 201, connection: 'close' }]);
      expect(gateway.authority.received).toHaveLength(1);
      expect(gateway.log.records().filter((line) => line['outcome'] === 'client_closed')).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it.each([
    ['a stray byte', 'x'],
    ['a line no parser takes', 'GARBAGE / HTTP/1.1\r\n\r\n'],
  ])('answers a registration followed by %s, then closes: no 400 in place of its 201, no client left unheard of', async (_, junk) => {
    const gateway = await startControlledGateway({});
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
    try {
      const answers = await exchange(gateway.url, registration() + junk);

      expect(answers).toEqual([{ status: 201, connection: 'close' }]);
      expect(gateway.authority.received).toHaveLength(1);
      expect(gateway.log.records().filter((line) => line['outcome'] === 'client_closed')).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('gives a request answered before its body one answer only, when its body then turns out malformed', async () => {
    const gateway = await startControlledGateway({});
    try {
      const { port } = new URL(gateway.url);
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      const firstAnswer = new Promise<void>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.includes('\r\n\r\n')) resolve();
        }),
      );
      socket.on('error', () => {});
      // No token: 401 before the body is read; the body's next chunk size is no number.
      socket.write('PUT /register/42 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n');
      await firstAnswer;
      socket.write('zz\r\n');
      await closed;

      expect([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((line) => line[1])).toEqual(['401']);
    } finally {
      await gateway.stop();
    }
  });

  it('answers a method name the parser does not know (FOO) with the JSON 501 of any method not implemented, then closes', async () => {
    const gateway = await startControlledGateway({});
    try {
      const answers = await exchange(gateway.url, 'FOO /register HTTP/1.1\r\nHost: x\r\n\r\n');

      expect(answers).toEqual([{ status: 501, connection: 'close' }]);
    } finally {
      await gateway.stop();
    }
  });

  it('sends an HTTP/1.0 client no 100 Continue, which it would take for the final answer, and reads its body all the same', async () => {
    const gateway = await startControlledGateway({});
    gateway.authority.answers(decision('CREATED', CLIENT_INFO));
    try {
      const answers = await exchange(
        gateway.url,
        `POST /register HTTP/1.0\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${METADATA.length}\r\n\r\n${METADATA}`,
      );

      expect(answers.map((answer) => answer.status)).toEqual([201]);
    } finally {
      await gateway.stop();
    }
  });

  /** Looks again at each turn of the event loop until `condition` holds; fails, saying on what, after 5 s. */
  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = performance.now() + 5_000;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error(`still not so after 5 s: ${what}`);
      await new Promise((next) => setImmediate(next));
    }
  }

  /** An answer the test gives once it has seen the call arrive, so that what the client does meanwhile is in order. */
  function heldAnswer(gateway: ControlledGateway): { arrived: () => Promise<void>; release: () => void } {
    let release = (): void => {};
    const given = new Promise<void>((resolve) => (release = resolve));
    gateway.authority.answers(async () => {
      await given;
      return decision('CREATED', CLIENT_INFO);
    });
    const arrived = (): Promise<void> => until(() => gateway.authority.received.length > 0, 'the registration reached Authlete');
    return { arrived, release };
  }

  it('answers a registration still with Authlete before closing, when the request pipelined behind it has a malformed body', async () => {
    const gateway = await startControlledGateway({});
    const held = heldAnswer(gateway);
    try {
      const malformed = 'POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\nZZ\r\n';
      const answers = exchange(gateway.url, registration() + malformed);
      await held.arrived();
      held.release();

      expect(await answers).toEqual([{ status: 201, connection: 'close' }]);
      expect(gateway.authority.received).toHaveLength(1);
      expect(gateway.log.records().filter((line) => line['outcome'] === 'client_closed')).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('still sees a client hang up after junk behind its registration, and logs the client created for nobody', async () => {
    const gateway = await startControlledGateway({});
    const held = heldAnswer(gateway);
    try {
      const { port } = new URL(gateway.url);
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(registration('X-Request-Id: gone-after-junk\r\n') + '\x01\x02'));
      socket.on('error', () => {});
      await held.arrived();
      socket.destroy();
      // The gateway has seen the hang-up once it gives the place in front of Authlete back.
      await until(() => gateway.container.get(TOKENS.CallGuard).load().admitted === 0, 'the gateway saw the hang-up');
      held.release();

      const line = () => gateway.log.records().find((record) => record['requestId'] === 'gone-after-junk');
      await until(() => line() !== undefined, 'its line written');
      expect(line()).toMatchObject({ outcome: 'client_closed', abandoned: 'created' });
    } finally {
      await gateway.stop();
    }
  });
});
