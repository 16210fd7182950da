import { closePools } from './db';

// After each test file: its database connections are closed (Jest then exits without open handles).
afterAll(async () => {
  await closePools();
});
