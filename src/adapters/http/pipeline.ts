import type { RouterContext } from '@koa/router';
import type { RegistrationOutcome } from '../../domain/outcome';
import type { GatewayState } from './gateway-state';
import type { HttpReply } from './http-reply';

export type RequestContext = RouterContext<GatewayState>;

/** What a step found out about the request (`adds`), or the reply that refuses the request there and then. */
export type StepResult<Adds> = { readonly ok: true; readonly adds: Adds } | { readonly ok: false; readonly reply: HttpReply };

/**
 * One named check or reading of a request. It sees what the steps before it found (`Needs`) and adds its own
 * findings, or stops the request with a reply. A step that only checks adds nothing.
 */
export type Step<Needs, Adds> = (ctx: RequestContext, found: Needs) => StepResult<Adds> | Promise<StepResult<Adds>>;

/** What a step that only checks adds. */
export type Nothing = Record<never, never>;

export function proceed<Adds>(adds: Adds): StepResult<Adds> {
  return { ok: true, adds };
}

export function stop(reply: HttpReply): StepResult<never> {
  return { ok: false, reply };
}

/** How a request ended, for the steps that act once it is answered: the outcome, or none when it was refused. */
export interface Answered {
  readonly outcome: RegistrationOutcome | undefined;
  /** The client metadata text the request carried, when a step had read it. */
  readonly metadataJson: string | undefined;
}

/** A step that runs once the reply is set (counting a failure, writing the audit trail); it never changes the reply. */
export type AnswerStep = (ctx: RequestContext, answered: Answered) => void;

/** A step with its types forgotten, as the runner holds it; the builder's types guarantee what it is given. */
type HeldStep = (ctx: RequestContext, found: never) => StepResult<object> | Promise<StepResult<object>>;

/**
 * An endpoint's steps, in the order they run. Each `then` names one step; the findings of all steps together
 * are what the endpoint asks the registration authority with. The steps run one after the other without a Koa
 * middleware frame each, and a step that needs no I/O costs no await.
 */
export class Pipeline<Found extends object> {
  private constructor(
    private readonly steps: readonly HeldStep[],
    private readonly answerSteps: readonly AnswerStep[],
  ) {}

  static start(): Pipeline<Nothing> {
    return new Pipeline([], []);
  }

  /** A control that is switched off is given as undefined: it is left out, and costs nothing per request. */
  then<Adds extends object>(step: Step<Found, Adds>): Pipeline<Found & Adds>;
  then(step: Step<Found, Nothing> | undefined): Pipeline<Found>;
  then<Adds extends object>(step: Step<Found, Adds> | undefined): Pipeline<Found & Adds> {
    return new Pipeline<Found & Adds>(step === undefined ? this.steps : [...this.steps, step], this.answerSteps);
  }

  /** A step for once the request is answered, whichever step or outcome answered it; undefined is left out. */
  onAnswer(step: AnswerStep | undefined): Pipeline<Found> {
    return step === undefined ? this : new Pipeline<Found>(this.steps, [...this.answerSteps, step]);
  }

  /** Whether any step waits for the answer; without one, nothing is built for them per request. */
  get hasAnswerSteps(): boolean {
    return this.answerSteps.length > 0;
  }

  answered(ctx: RequestContext, answered: Answered): void {
    for (const step of this.answerSteps) step(ctx, answered);
  }

  async run(ctx: RequestContext): Promise<StepResult<Found>> {
    const found: object = {};
    for (const step of this.steps) {
      const pending = step(ctx, found as never);
      const result = pending instanceof Promise ? await pending : pending;
      if (!result.ok) return result;
      Object.assign(found, result.adds);
    }
    // Every step's findings were merged in, which is what the builder's type says.
    return { ok: true, adds: found as Found };
  }
}
