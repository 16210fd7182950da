/**
 * express-session pushes a session's idle timeout back on every request (`rolling`), through the
 * store's `touch`: with connect-pg-simple, one UPDATE of the session table per page. This remembers,
 * per instance, when each session was last touched, so that it is written at most once per
 * `intervalMs`: the idle timeout is then kept to within that interval (a session may end up to a
 * minute before SESSION_IDLE_MINUTES of inactivity), for one write a minute instead of one a page.
 * A session whose data changed is saved as always (the store's `set`), touch or not.
 */
export class TouchThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** Whether the session `sid` is to be written now; if so, remembers that it is. */
  due(sid: string, now: number): boolean {
    const previous = this.last.get(sid);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.delete(sid);
    this.last.set(sid, now);
    // The oldest first (a Map keeps insertion order): forgetting one only means writing it once more.
    while (this.last.size > this.maxEntries) this.last.delete(this.last.keys().next().value as string);
    return true;
  }

  /** A session destroyed or regenerated: its next touch writes. */
  forget(sid: string): void {
    this.last.delete(sid);
  }
}
