import { Clock } from './clock';

describe('Clock', () => {
  it('reads the system time until a test sets it, running or frozen, then resets', async () => {
    const clock = new Clock();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);

    clock.set(new Date('2027-03-01T08:00:00Z'));
    await new Promise((r) => setTimeout(r, 20));
    const running = clock.now().getTime() - Date.parse('2027-03-01T08:00:00Z');
    expect(running).toBeGreaterThanOrEqual(15);
    expect(running).toBeLessThan(1000);

    clock.set(new Date('2027-03-01T08:00:00Z'), { frozen: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().toISOString()).toBe('2027-03-01T08:00:00.000Z');

    clock.reset();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
  });
});
