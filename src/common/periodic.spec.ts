import { Logger } from '@nestjs/common';
import { runPeriodically } from './periodic';

describe('runPeriodically', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the job every interval, goes on after a failed run, and stops', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let runs = 0;
    const stop = runPeriodically('Test', 1000, async () => {
      runs++;
      if (runs === 2) throw new Error('database gone');
    });
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    expect(error).toHaveBeenCalledWith('Test run failed: Error: database gone');
    stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
    error.mockRestore();
  });

  it('runs at once when asked', async () => {
    let runs = 0;
    const stop = runPeriodically('Test', 1000, async () => void runs++, { runNow: true });
    expect(runs).toBe(1);
    stop();
  });
});
