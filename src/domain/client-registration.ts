import type { RegistrationAuthority } from '../ports/registration-authority';
import type { DeleteCommand, ReadCommand, RegisterCommand, UpdateCommand } from './commands';
import { outcomeOf } from './outcome-of';
import { DELETE_RULES, READ_RULES, REGISTER_RULES, UPDATE_RULES } from './decision-rules';
import type { DeleteOutcome, ReadOutcome, RegisterOutcome, UpdateOutcome } from './outcome';

/** The four registration use cases: ask the authority, then hold its answer to what the operation may return. */
export class ClientRegistration {
  constructor(private readonly authority: RegistrationAuthority) {}

  async register(command: RegisterCommand): Promise<RegisterOutcome> {
    return outcomeOf(REGISTER_RULES, await this.authority.ask(command));
  }

  async read(command: ReadCommand): Promise<ReadOutcome> {
    return outcomeOf(READ_RULES, await this.authority.ask(command));
  }

  async update(command: UpdateCommand): Promise<UpdateOutcome> {
    return outcomeOf(UPDATE_RULES, await this.authority.ask(command));
  }

  async delete(command: DeleteCommand): Promise<DeleteOutcome> {
    return outcomeOf(DELETE_RULES, await this.authority.ask(command));
  }
}
