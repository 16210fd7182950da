/** A message channel. */
export type Channel = 'EMAIL' | 'SMS';

export interface ReminderOffset {
  /** ISO-8601 duration before the appointment, e.g. P2D, PT2H. */
  before: string;
  channel: Channel;
}

export const DEFAULT_REMINDER_OFFSETS: ReminderOffset[] = [
  { before: 'P2D', channel: 'EMAIL' },
  { before: 'P1D', channel: 'SMS' },
];

export function durationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) throw new Error(`Invalid duration "${iso}" (expected e.g. P2D, PT3H, P1DT12H)`);
  const [, d = '0', h = '0', min = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000;
}

/** "P2D:EMAIL,P1D:SMS" → offsets. Throws with a readable message on a bad value. */
export function parseReminderOffsets(value: string): ReminderOffset[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [before, channel] = part.split(':');
      durationMs(before);
      if (channel !== 'EMAIL' && channel !== 'SMS') throw new Error(`Invalid reminder channel "${channel}" in "${part}" (EMAIL or SMS)`);
      return { before, channel };
    });
}
