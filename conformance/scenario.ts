import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CreatedClients } from './created-clients';
import type { Answer, Exchanges } from './exchange';
import type { Redaction } from './redaction';
import type { CheckResult, Report } from './report';

export interface ScenarioContext {
  readonly endpoint: URL;
  readonly initialAccessToken: string | undefined;
  readonly exchanges: Exchanges;
  readonly report: Report;
  readonly redaction: Redaction;
  readonly created: CreatedClients;
}

/** The checks, in the order they are reported; one that could not run is reported as skipped with the reason. */
export const CHECKS = {
  register: 'register (RFC 7591): 201 with client information',
  fragment: 'a redirect URI with a fragment: 400 invalid_redirect_uri or invalid_client_metadata',
  absolute: 'registration_client_uri is an absolute URL',
  readTwice: 'read twice (RFC 7592): 200 with the same client_id, redirect_uris and registration_client_uri',
  asGiven: 'registration_client_uri answers as given',
  update: 'update a redirect URI (RFC 7592): 200 with the new redirect_uris',
  wrongToken: 'a wrong token: 401 with a Bearer challenge and no client_id in the body',
  unchanged: 'a wrong token changes nothing',
  delete: 'delete (RFC 7592): 204 without a body',
  readDeleted: 'read after delete: 401',
  deleteAgain: 'delete again: 400 or 401',
  secretExpiry: 'every client_secret comes with client_secret_expires_at',
  noStore: 'Cache-Control: no-store and Pragma: no-cache on every answer',
} as const;

type CheckName = keyof typeof CHECKS;

const clientInformation = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
  client_secret_expires_at: z.number().optional(),
  registration_access_token: z.string().min(1).optional(),
  registration_client_uri: z.string().optional(),
  redirect_uris: z.array(z.string()).optional(),
});
type ClientInformation = z.infer<typeof clientInformation>;

const oauthError = z.looseObject({ error: z.string() });

// .invalid never resolves (RFC 6761): nothing the check registers can send anyone anywhere.
const REDIRECT_URI = 'https://conformance-check.invalid/callback';
const UPDATED_REDIRECT_URI = 'https://conformance-check.invalid/callback2';
const METADATA = { client_name: 'dcr-gateway conformance check', redirect_uris: [REDIRECT_URI] };

// RFC 7592 section 2.2: fields the client must not send back on an update.
const SERVER_ISSUED = ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'];

/** Stops the scenario: what follows needs what this step did not give. */
class ScenarioStopped extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function errorCodeOf(answer: Answer): string | undefined {
  const parsed = oauthError.safeParse(answer.json);
  return parsed.success ? parsed.data.error : undefined;
}

function brief(answer: Answer): string {
  const error = errorCodeOf(answer);
  return error === undefined ? `${answer.status}` : `${answer.status} ${error}`;
}

function same(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function directives(value: string | null): string[] {
  return (value ?? '').split(',').map((part) => part.trim().toLowerCase());
}

/** The RFC 7591 / RFC 7592 scenario against one deployment; each check is reported as soon as it is decided. */
export class Scenario {
  readonly #decided = new Set<CheckName>();
  readonly #clientAnswers: ClientInformation[] = [];
  /** True once the deployment shows it answers with fixed examples (a mock such as Prism): it decides nothing. */
  #fixedExamples = false;

  constructor(private readonly ctx: ScenarioContext) {}

  async run(): Promise<void> {
    try {
      await this.#steps();
    } catch (error) {
      if (!(error instanceof ScenarioStopped)) throw error;
      for (const name of Object.keys(CHECKS) as CheckName[]) {
        if (!this.#decided.has(name) && name !== 'noStore' && name !== 'secretExpiry') this.#skip(name, `not run: ${error.reason}`);
      }
    }
    this.#checkSecretExpiry();
    this.#checkNoStore();
  }

  async #steps(): Promise<void> {
    const { endpoint, created } = this.ctx;
    const registered = await this.#register();
    const client = created.add({ clientId: registered.client_id, uri: registered.registration_client_uri ?? '', token: registered.registration_access_token ?? '' });
    // Needs nothing of the client: it runs even when the client turns out unmanageable.
    await this.#fragment(registered.client_id);

    const uri = URL.parse(registered.registration_client_uri ?? '');
    if (uri === null || (uri.protocol !== 'https:' && uri.protocol !== 'http:')) {
      this.#fail('absolute', `registration_client_uri is ${JSON.stringify(registered.registration_client_uri ?? null)}`);
      throw new ScenarioStopped('there is no registration_client_uri to manage the client at');
    }
    this.#pass('absolute', uri.href);

    // A fixed example names a client configuration endpoint of the example's own, not of this deployment.
    const ownOrigin = uri.origin === endpoint.origin;
    if (this.#fixedExamples && !ownOrigin) {
      client.uri = `${endpoint.href.replace(/\/+$/, '')}/${encodeURIComponent(registered.client_id)}`;
      this.#skip('asGiven', `the fixed example's registration_client_uri is on ${uri.origin}, not this deployment; the client is managed at ${client.uri} instead`);
    }

    await this.#readTwice(registered, client);
    await this.#update(client);
    await this.#wrongToken(client);
    await this.#delete(client);
  }

  async #register(): Promise<ClientInformation> {
    const answer = await this.#send(CHECKS.register, { label: 'POST <registration endpoint>', method: 'POST', url: this.ctx.endpoint.href, token: this.ctx.initialAccessToken, body: METADATA });
    const info = clientInformation.safeParse(answer.json);
    if (answer.status !== 201 || !info.success) {
      this.#fail('register', `${brief(answer)}${info.success ? '' : ', the body is not client information'}`);
      throw new ScenarioStopped('the registration failed');
    }
    this.#keep(info.data);
    const missing = ['registration_access_token', 'registration_client_uri'].filter((field) => info.data[field] === undefined);
    if (missing.length > 0) {
      this.#fail('register', `201, client_id ${info.data.client_id}, but no ${missing.join(' and ')} (RFC 7592 section 3)`);
      throw new ScenarioStopped('the client cannot be managed without them');
    }
    this.#pass('register', `201, client_id ${info.data.client_id}`);
    return info.data;
  }

  async #fragment(firstClientId: string): Promise<void> {
    const answer = await this.#send(CHECKS.fragment, {
      label: 'POST <registration endpoint> (redirect URI with a fragment)',
      method: 'POST',
      url: this.ctx.endpoint.href,
      token: this.ctx.initialAccessToken,
      body: { ...METADATA, redirect_uris: [`${REDIRECT_URI}#fragment`] },
    });
    const info = clientInformation.safeParse(answer.json);
    if (answer.status === 201 && info.success) {
      this.#keep(info.data);
      if (info.data.client_id === firstClientId) {
        this.#fixedExamples = true;
        this.ctx.report.note(`note  two registrations got the same client_id ${firstClientId}: the deployment answers with fixed examples (a mock), so checks that need it to decide are skipped`);
        this.#skip('fragment', 'the deployment answers with fixed examples and refuses nothing');
        return;
      }
      this.ctx.created.add({ clientId: info.data.client_id, uri: info.data.registration_client_uri ?? '', token: info.data.registration_access_token ?? '' });
      this.#fail('fragment', `201: registered as client ${info.data.client_id} (deleted at the end)`);
      return;
    }
    const error = errorCodeOf(answer);
    const refused = answer.status === 400 && (error === 'invalid_redirect_uri' || error === 'invalid_client_metadata');
    this.#verdict('fragment', refused, brief(answer));
  }

  async #readTwice(registered: ClientInformation, client: { uri: string; token: string }): Promise<void> {
    const reads: ClientInformation[] = [];
    const statuses: number[] = [];
    for (const attempt of ['first', 'second']) {
      const answer = await this.#send(CHECKS.readTwice, { label: `GET <client URI> (${attempt} read)`, method: 'GET', url: client.uri, token: client.token });
      statuses.push(answer.status);
      const info = clientInformation.safeParse(answer.json);
      if (answer.status === 200 && info.success) {
        this.#keep(info.data);
        reads.push(info.data);
        // RFC 7592 lets a server issue a new registration access token on any answer: use the latest.
        if (info.data.registration_access_token !== undefined) client.token = info.data.registration_access_token;
      }
    }
    if (!this.#decided.has('asGiven')) this.#verdict('asGiven', statuses[0] === 200, `GET ${client.uri} → ${statuses[0]}`);
    if (reads.length < 2) {
      this.#fail('readTwice', `answered ${statuses.join(', ')}`);
      throw new ScenarioStopped('the client could not be read');
    }
    const differences = reads.flatMap((read, n) => [
      ...(read.client_id === registered.client_id ? [] : [`read ${n + 1}: client_id ${read.client_id}`]),
      ...(same(read.redirect_uris, registered.redirect_uris) ? [] : [`read ${n + 1}: redirect_uris ${JSON.stringify(read.redirect_uris)}`]),
      ...(read.registration_client_uri === registered.registration_client_uri ? [] : [`read ${n + 1}: registration_client_uri ${read.registration_client_uri}`]),
    ]);
    this.#verdict(
      'readTwice',
      differences.length === 0,
      differences.length === 0 ? `200, 200; client_id ${registered.client_id}, redirect_uris ${JSON.stringify(registered.redirect_uris)}` : differences.join('; '),
    );
  }

  async #update(client: { uri: string; token: string }): Promise<void> {
    const last = this.#clientAnswers.at(-1);
    const metadata = Object.fromEntries(Object.entries(last ?? {}).filter(([field]) => !SERVER_ISSUED.includes(field)));
    const answer = await this.#send(CHECKS.update, {
      label: 'PUT <client URI> (update)',
      method: 'PUT',
      url: client.uri,
      token: client.token,
      body: { ...metadata, redirect_uris: [UPDATED_REDIRECT_URI] },
    });
    const info = clientInformation.safeParse(answer.json);
    if (answer.status === 200 && info.success) {
      this.#keep(info.data);
      if (info.data.registration_access_token !== undefined) client.token = info.data.registration_access_token;
      const updated = same(info.data.redirect_uris, [UPDATED_REDIRECT_URI]);
      if (!updated && this.#fixedExamples) {
        this.#skip('update', 'the deployment answers with fixed examples: an update cannot take effect');
        return;
      }
      this.#verdict('update', updated, `200, redirect_uris ${JSON.stringify(info.data.redirect_uris)}`);
      return;
    }
    this.#fail('update', brief(answer));
  }

  async #wrongToken(client: { uri: string; token: string }): Promise<void> {
    const before = this.#clientAnswers.at(-1)?.redirect_uris;
    const clientId = this.#clientAnswers.at(-1)?.client_id ?? '';
    const wrong = `conformance-wrong-${randomBytes(16).toString('base64url')}`;
    const answer = await this.#send(CHECKS.wrongToken, {
      label: 'PUT <client URI> (wrong token)',
      method: 'PUT',
      url: client.uri,
      token: wrong,
      body: { client_id: clientId, redirect_uris: ['https://intruder.conformance-check.invalid/callback'] },
    });
    if (answer.status === 200 && this.#fixedExamples) {
      this.#skip('wrongToken', 'the deployment answers with fixed examples and accepts any token');
      this.#skip('unchanged', 'the deployment answers with fixed examples and keeps no state');
      return;
    }
    const challenge = answer.headers.get('www-authenticate');
    // The answer must not hand out the client's information: no client_id field, and not its value anywhere.
    const named = typeof answer.json === 'object' && answer.json !== null && 'client_id' in answer.json;
    const leaks = named || (clientId !== '' && answer.text.includes(clientId));
    const problems = [
      ...(answer.status === 401 ? [] : [`status ${answer.status}`]),
      ...(challenge !== null && /^Bearer(\s|$)/i.test(challenge) ? [] : [`WWW-Authenticate ${JSON.stringify(challenge)}`]),
      ...(leaks ? ['the body names the client'] : []),
    ];
    this.#verdict('wrongToken', problems.length === 0, problems.length === 0 ? `401, WWW-Authenticate: ${challenge ?? ''}` : problems.join('; '));

    const reread = await this.#send(CHECKS.unchanged, { label: 'GET <client URI> (after the wrong token)', method: 'GET', url: client.uri, token: client.token });
    const info = clientInformation.safeParse(reread.json);
    if (reread.status !== 200 || !info.success) {
      this.#fail('unchanged', `the read afterwards answered ${brief(reread)}`);
      return;
    }
    this.#keep(info.data);
    if (info.data.registration_access_token !== undefined) client.token = info.data.registration_access_token;
    this.#verdict('unchanged', same(info.data.redirect_uris, before), `redirect_uris ${JSON.stringify(info.data.redirect_uris)}`);
  }

  async #delete(client: { uri: string; token: string; deleted: boolean }): Promise<void> {
    const answer = await this.#send(CHECKS.delete, { label: 'DELETE <client URI>', method: 'DELETE', url: client.uri, token: client.token });
    const deleted = answer.status === 204;
    if (deleted) client.deleted = true;
    this.#verdict('delete', deleted && answer.text === '', deleted && answer.text !== '' ? `204 with a body of ${answer.text.length} bytes` : brief(answer));
    if (!deleted) throw new ScenarioStopped('the client was not deleted');

    const read = await this.#send(CHECKS.readDeleted, { label: 'GET <client URI> (after delete)', method: 'GET', url: client.uri, token: client.token });
    if (read.status === 200 && this.#fixedExamples) this.#skip('readDeleted', 'the deployment answers with fixed examples and keeps no state');
    else this.#verdict('readDeleted', read.status === 401, brief(read));

    const again = await this.#send(CHECKS.deleteAgain, { label: 'DELETE <client URI> (again)', method: 'DELETE', url: client.uri, token: client.token });
    if (again.status === 204 && this.#fixedExamples) this.#skip('deleteAgain', 'the deployment answers with fixed examples and keeps no state');
    else this.#verdict('deleteAgain', again.status === 400 || again.status === 401, brief(again));
  }

  #checkSecretExpiry(): void {
    const withSecret = this.#clientAnswers.filter((info) => info.client_secret !== undefined);
    const without = withSecret.filter((info) => info.client_secret_expires_at === undefined);
    if (this.#clientAnswers.length === 0) this.#skip('secretExpiry', 'no client information was answered');
    else if (withSecret.length === 0) this.#pass('secretExpiry', `no client_secret in ${this.#clientAnswers.length} client information answers`);
    else this.#verdict('secretExpiry', without.length === 0, `${withSecret.length - without.length} of ${withSecret.length} answers with a client_secret carry client_secret_expires_at`);
  }

  #checkNoStore(): void {
    const { answers } = this.ctx.exchanges;
    const lacking = answers.flatMap((answer) => {
      const missing = [
        ...(directives(answer.headers.get('cache-control')).includes('no-store') ? [] : ['no Cache-Control: no-store']),
        ...(directives(answer.headers.get('pragma')).includes('no-cache') ? [] : ['no Pragma: no-cache']),
      ];
      return missing.length === 0 ? [] : [`${answer.label} → ${answer.status}: ${missing.join(', ')}`];
    });
    if (answers.length === 0) this.#skip('noStore', 'nothing answered');
    else this.#verdict('noStore', lacking.length === 0, lacking.length === 0 ? `all ${answers.length} answers` : lacking.join('; '));
  }

  /** Sends one request; an unanswered request fails the check it serves and stops the scenario. */
  async #send(check: string, request: Parameters<Exchanges['send']>[0]): Promise<Answer> {
    try {
      return await this.ctx.exchanges.send(request);
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      const name = (Object.keys(CHECKS) as CheckName[]).find((key) => CHECKS[key] === check);
      const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      if (name !== undefined && !this.#decided.has(name)) this.#fail(name, `${request.label}: no answer (${why})`);
      throw new ScenarioStopped(`${request.label} got no answer`);
    }
  }

  #keep(info: ClientInformation): void {
    this.ctx.redaction.remember(info.client_secret);
    this.ctx.redaction.remember(info.registration_access_token);
    this.#clientAnswers.push(info);
  }

  #verdict(name: CheckName, passed: boolean, evidence: string): void {
    if (passed) this.#pass(name, evidence);
    else this.#fail(name, evidence);
  }

  #pass(name: CheckName, evidence: string): void {
    this.#add({ verdict: 'pass', name: CHECKS[name], evidence }, name);
  }

  #fail(name: CheckName, evidence: string): void {
    this.#add({ verdict: 'fail', name: CHECKS[name], evidence }, name);
  }

  #skip(name: CheckName, reason: string): void {
    this.#add({ verdict: 'skip', name: CHECKS[name], evidence: reason }, name);
  }

  #add(result: CheckResult, name: CheckName): void {
    this.#decided.add(name);
    this.ctx.report.add(result);
  }
}
