import { Injectable } from '@nestjs/common';

/**
 * The time the application works with. Every rule that needs "now" (deadlines, booking windows,
 * reminders, background jobs) asks the clock, never `new Date()`, so tests can set the date.
 * Outside tests it is the system clock; with TEST_ENDPOINTS on (never in production) the test
 * endpoint /__test__/clock moves it (src/demo/test-endpoints.ts).
 */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Tests: the clock reads `at` from now on, still running, or stopped there (`frozen`). */
  set(at: Date, opts: { frozen?: boolean } = {}): void {
    this.frozenAt = opts.frozen ? at.getTime() : null;
    this.offsetMs = opts.frozen ? 0 : at.getTime() - Date.now();
  }

  /** Tests: back to the system clock. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }
}
