import type { FieldIssue } from '../../../shared/index.js';

/** Input that the schema accepted but the store refuses (unknown category, future time, illegal transition…). */
export class DeskInputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'DeskInputError';
  }
}

export class DeskNotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`);
    this.name = 'DeskNotFoundError';
  }
}

/** The desk has nobody signed in yet (first start): writes need an actor for the history. */
export class DeskNoUserError extends Error {
  constructor() {
    super('nobody works at this desk yet: set up the desk first');
    this.name = 'DeskNoUserError';
  }
}
