/**
 * An establishment's video-call settings (visiophonie). Every value comes from one establishment's
 * service note (seeds/note-visiophonie-2020.md): they are that establishment's defaults, editable per
 * establishment with their history, not national rules.
 */
export interface VideoCallSlot {
  /** Local start and end, HH:MM, on the establishment's clock. */
  start: string;
  end: string;
}

export interface VideoCallPlan {
  /** Plan code: 'NONE' (hors forfait) or the plan's monthly amount in euros ('20', '30', …). */
  code: string;
  /** Price per minute, in euro cents (0.30 € = 30). */
  centsPerMinute: number;
  /** Connection fee per call, in euro cents (0.14 € = 14 without a plan, 0 otherwise). */
  connectionCents: number;
}

export interface VideoCallSettings {
  /** ISO weekdays open for calls (1 = Monday … 7 = Sunday); Sundays and public holidays are never open. */
  weekdays: number[];
  slots: VideoCallSlot[];
  /** Minimum notice before a slot, in hours. */
  noticeHours: number;
  /** Monday and Tuesday slots may be booked until the preceding Saturday (end of day). */
  mondayTuesdayUntilSaturday: boolean;
  /** Quota: at most `quotaCalls` calls per detainee in any window of `quotaWeeks` weeks. */
  quotaCalls: number;
  quotaWeeks: number;
  /** Call length, minutes: the shortest and the longest (the cost of the longest is blocked). */
  minMinutes: number;
  maxMinutes: number;
  plans: VideoCallPlan[];
}

/** The note's values (service note n° 267-2020). The 50 € plan's 0.27 €/min is kept as the note says (it looks like a typo). */
export const NOTE_2020_DEFAULTS: VideoCallSettings = {
  weekdays: [1, 2, 3, 4, 5, 6],
  slots: [
    { start: '08:30', end: '09:15' },
    { start: '09:30', end: '10:15' },
    { start: '10:30', end: '11:15' },
    { start: '13:45', end: '14:30' },
    { start: '14:45', end: '15:30' },
    { start: '15:45', end: '16:30' },
  ],
  noticeHours: 48,
  mondayTuesdayUntilSaturday: true,
  quotaCalls: 1,
  quotaWeeks: 4,
  minMinutes: 20,
  maxMinutes: 30,
  plans: [
    { code: 'NONE', centsPerMinute: 30, connectionCents: 14 },
    { code: '20', centsPerMinute: 26, connectionCents: 0 },
    { code: '30', centsPerMinute: 25, connectionCents: 0 },
    { code: '40', centsPerMinute: 20, connectionCents: 0 },
    { code: '50', centsPerMinute: 27, connectionCents: 0 },
    { code: '70', centsPerMinute: 25, connectionCents: 0 },
    { code: '100', centsPerMinute: 20, connectionCents: 0 },
  ],
};
