// A count, local to one store object (one server process), of its writes that take credentials
// away: a login session revoked, a user deleted with its sessions and credentials. A credential
// cache (sts/credential-lookup.ts) remembers the count it read at and trusts an entry only while
// the count is unchanged, so a process honours its own revocations at once; other processes
// sharing the database see them when their cache entries lapse.

export class RevocationCounter {
  #generation = 0;

  get generation(): number {
    return this.#generation;
  }

  /**
   * Around the write: before it (a read that raced the write is not trusted) and after it has
   * committed (a read of the not yet committed state is not trusted either); transactions
   * call `settle` for the second.
   */
  bump(): void {
    this.#generation++;
  }

  /** Runs a transaction; if anything in it bumped the count, bumps it again once it has ended. */
  async settle<T>(run: () => Promise<T>): Promise<T> {
    const before = this.#generation;
    try {
      return await run();
    } finally {
      if (this.#generation !== before) this.bump();
    }
  }
}
