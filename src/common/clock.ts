import { Injectable } from '@nestjs/common';
import express, { Router } from 'express';

/**
 * The time the application works with. Every rule that needs "now" (deadlines, booking windows,
 * reminders, background jobs) asks the clock, never `new Date()`, so tests can set the date.
 * Outside tests it is the system clock; with TEST_CLOCK on (never in production) the test
 * endpoint /__test__/clock moves it (see main.ts).
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

/**
 * Tests only (TEST_CLOCK): `POST at=<ISO instant>[&frozen=true]` sets the clock, `DELETE` resets it;
 * both answer with the clock's time. Mounted by main.ts outside the app's routes and CSRF.
 */
export function testClockRouter(clock: Clock): Router {
  const router = Router();
  router.post('/', express.urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    const body = req.body as { at?: unknown; frozen?: unknown };
    const at = typeof body.at === 'string' ? new Date(body.at) : null;
    if (!at || Number.isNaN(at.getTime())) return void res.status(400).type('text/plain').send('at: an ISO 8601 instant is required');
    clock.set(at, { frozen: body.frozen === 'true' });
    res.type('text/plain').send(clock.now().toISOString());
  });
  router.delete('/', (_req, res) => {
    clock.reset();
    res.type('text/plain').send(clock.now().toISOString());
  });
  return router;
}
