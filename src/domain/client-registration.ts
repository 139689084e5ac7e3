import type { RegistrationAuthority } from '../ports/registration-authority';
import type { DeleteCommand, ReadCommand, RegisterCommand, UpdateCommand } from './commands';
import { decide } from './decide';
import { DELETE_RULES, READ_RULES, REGISTER_RULES, UPDATE_RULES } from './decision-rules';
import type { DeleteOutcome, ReadOutcome, RegisterOutcome, UpdateOutcome } from './outcome';

/** The four registration use cases: ask the authority, then hold its answer to what the operation may return. */
export class ClientRegistration {
  constructor(private readonly authority: RegistrationAuthority) {}

  async register(command: RegisterCommand): Promise<RegisterOutcome> {
    return decide(REGISTER_RULES, await this.authority.decide(command));
  }

  async read(command: ReadCommand): Promise<ReadOutcome> {
    return decide(READ_RULES, await this.authority.decide(command));
  }

  async update(command: UpdateCommand): Promise<UpdateOutcome> {
    return decide(UPDATE_RULES, await this.authority.decide(command));
  }

  async delete(command: DeleteCommand): Promise<DeleteOutcome> {
    return decide(DELETE_RULES, await this.authority.decide(command));
  }
}
