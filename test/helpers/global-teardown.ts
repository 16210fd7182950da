export default async function globalTeardown() {
  await globalThis.__P2V_EMBEDDED__?.stop();
}
