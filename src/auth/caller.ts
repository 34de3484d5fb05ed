import { both, runPlan, type Plan } from '../db/plan.js';
import type { Db } from '../db/client.js';

/** The internal API's refusal of a missing or refused session (the public API names the token instead). */
export const SIGN_IN_REQUIRED = 'sign in required';

export type Outcome<C> = { ok: true; caller: C } | { ok: false; error: unknown };

/**
 * Who a request says it comes from, verified by signature but not yet confirmed against the
 * database. A read is built from the claimed account and sent in ONE batch with the
 * statements that confirm the claim (session or client row still live, membership, plan; the
 * public API's rate-limit hit): the confirmation is judged first and, if it refuses, its error is
 * thrown and the read's rows are discarded. The row is read on every request, so revocation stays
 * immediate. Writes confirm first (`confirm()`), then write.
 */
export class PendingCaller<C> {
  #outcome: Outcome<C> | undefined;
  #confirming: Promise<C> | undefined;

  /**
   * @param accountId the account the signed token names
   * @param confirmation the statements that confirm the claim; its `finish` throws the refusal
   */
  constructor(
    private readonly db: Db,
    readonly accountId: string,
    private readonly confirmation: () => Plan<C>,
  ) {}

  /** The confirmed caller and the read, in one round trip. */
  async read<T>(build: (accountId: string) => Plan<T>): Promise<{ caller: C; value: T }> {
    const confirm = this.confirmation();
    const judged: Plan<C> = { statements: confirm.statements, finish: (results) => this.#judge(() => confirm.finish(results)) };
    try {
      const [caller, value] = await runPlan(this.db, both(judged, build(this.accountId)));
      return { caller, value };
    } catch (error) {
      // A database that fails refuses the caller too; a read's own error (not found) comes after a judged confirmation.
      this.#outcome ??= { ok: false, error };
      throw error;
    }
  }

  /** The confirmed caller alone (one round trip, once per request): for writes, and requests that read nothing. */
  confirm(): Promise<C> {
    if (this.#outcome) return this.#outcome.ok ? Promise.resolve(this.#outcome.caller) : Promise.reject(this.#outcome.error);
    this.#confirming ??= runPlan(this.db, this.confirmation()).then(
      (caller) => this.#judge(() => caller),
      (error: unknown) => this.#judge(() => { throw error; }),
    );
    return this.#confirming;
  }

  /** How the confirmation went, confirming now if nothing did yet: a door's last word before it answers. */
  async settle(): Promise<Outcome<C>> {
    if (!this.#outcome) await this.confirm().catch(() => undefined);
    return this.#outcome!;
  }

  #judge(finish: () => C): C {
    try {
      const caller = finish();
      this.#outcome ??= { ok: true, caller };
      return caller;
    } catch (error) {
      this.#outcome ??= { ok: false, error };
      throw error;
    }
  }
}
