import { insertBooking, insertContact, insertDevice } from '../factories/video-calls';
import { insertAgent, insertDetainee, insertEstablishment, unique } from '../factories/people';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { query } from '../helpers/db';
import {
  VideoCallDayPage,
  VideoCallDetaineesPage,
  VideoCallGridPage,
  VideoCallOutcomePage,
  VideoCallPageOfCall,
  VideoCallReadBackPage,
  VideoCallRecordPage,
  VideoCallSanctionsPage,
  VideoCallSettingsPage,
  VideoCallSlotPage,
  VideoCallsToClosePage,
} from './pages/video-call-pages';

jest.setTimeout(90_000);

const suite = appAndBrowser();

/** Thursday 17 December 2026, 09:00 in Paris: Monday 21 may be booked until Saturday 19 at midnight. */
const NOW = '2026-12-17T08:00:00Z';

describe('video calls in a real browser, on a tablet', () => {
  it('the activities officer goes from the detainee’s record to the grid, a slot, the read-back, books and sees the day’s list and the settings: every page passes axe (WCAG 2.1 AA) and fits 1024 px', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-Mazowiecki' });
    await insertDevice(establishment.id, 'Salle visio Ağrı');
    const officer = { givenName: 'Şükrü', usualName: 'Öztürk', email: `${unique('visio-').toLowerCase()}@justice.gouv.fr` };
    const officerRow = await insertAgent([{ establishmentId: establishment.id, role: 'ACTIVITIES_OFFICER' }], officer);
    const detainee = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski' });
    await query(`INSERT INTO video_call_charters (detainee_id, signed_on, recorded_by) VALUES ($1, '2026-11-02', $2)`, [
      detainee.id,
      officerRow.id,
    ]);
    await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, plan_code) VALUES ($1, 5000, 'NONE')`, [detainee.id]);
    await insertContact(detainee.id, officerRow.id, { name: 'فاطمة الزهراء بن علي', phone: '+33611223344' });
    const sanctioned = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Öztürk' });
    await insertContact(sanctioned.id, officerRow.id, { name: 'كريم حداد', phone: '+33698765432' });
    await query(
      `INSERT INTO sanctioned_numbers (establishment_id, phone, motivation, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5)`,
      [establishment.id, '+33698765432', 'Prévention des infractions — Menaces envers un témoin', '2026-12-10T09:00:00Z', officerRow.id],
    );
    const violations: string[] = [];
    const widths: string[] = [];

    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const fits = async (p: { fitsWidth(): Promise<boolean> }) => {
      if (!(await p.fitsWidth())) widths.push(page.url());
    };
    await signInBrowser(page, suite.app.url, officer);
    await suite.app.setClock(NOW, { frozen: true });

    // The menu's « Visio » section opens its links.
    await page.getByRole('button', { name: 'Visio' }).click();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Visio : personnes détenues' }).first().click(),
    ]);
    const list = await VideoCallDetaineesPage.on(page, violations);
    await fits(list);
    await list.search('Wiśniewski');
    await (await VideoCallDetaineesPage.on(page, violations)).open();

    const record = await VideoCallRecordPage.on(page, violations);
    await fits(record);
    expect(await record.contacts()).toEqual([expect.stringContaining('فاطمة الزهراء بن علي')]);
    await record.book();

    const grid = await VideoCallGridPage.on(page, violations);
    await fits(grid);
    await grid.nextWeek();
    const next = await VideoCallGridPage.on(page, violations);
    await fits(next);
    expect(await next.cell('2026-12-25', '09:30').innerText()).toContain('(Noël)');
    await next.choose('2026-12-21', '10:30');

    const slot = await VideoCallSlotPage.on(page, violations);
    await fits(slot);
    await slot.readBack('فاطمة الزهراء بن علي (Sœur) — +33611223344');

    const readBack = await VideoCallReadBackPage.on(page, violations);
    await fits(readBack);
    expect(await readBack.readBack()).toContain('WIŚNIEWSKI Łukasz');
    expect(await readBack.readBack()).toContain('lundi 21 décembre 2026, 10:30–11:15');
    await readBack.confirm();

    const call = await VideoCallPageOfCall.on(page, violations);
    await fits(call);
    expect(await call.done()).toContain('L’appel est réservé');
    await call.dayList();

    const day = await VideoCallDayPage.on(page, violations);
    await fits(day);
    expect(await day.rows()).toEqual([
      expect.stringMatching(/^10:30–11:15\s+WIŚNIEWSKI Łukasz .*Salle visio Ağrı\s+فاطمة الزهراء بن علي \(Sœur\)/),
    ]);

    await page.getByRole('button', { name: 'Visio' }).click();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Visio : numéros sanctionnés' }).first().click(),
    ]);
    const sanctions = await VideoCallSanctionsPage.on(page, violations);
    await fits(sanctions);
    expect(await sanctions.rows()).toEqual([expect.stringMatching(/^06 98 76 54 32\s+En vigueur\s+sans fin[\s\S]*ÖZTÜRK Şükrü/i)]);

    await page.getByRole('button', { name: 'Visio' }).click();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Visio : paramètres' }).first().click(),
    ]);
    const settings = await VideoCallSettingsPage.on(page, violations);
    await fits(settings);
    expect(await settings.devices()).toEqual([expect.stringContaining('Salle visio Ağrı')]);

    expect(violations).toEqual([]);
    expect(widths).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the officer sees on the day’s list a code not sent and the calls to close, opens them and a bilan: every page passes axe and fits 1024 px', async () => {
    const establishment = await insertEstablishment({ name: 'Maison d’arrêt de Şanlıurfa-Nord' });
    const device = await insertDevice(establishment.id, 'Salle visio Ağrı');
    const officer = { givenName: 'Zoë', usualName: 'Đặng', email: `${unique('visio-').toLowerCase()}@justice.gouv.fr` };
    const officerRow = await insertAgent([{ establishmentId: establishment.id, role: 'ACTIVITIES_OFFICER' }], officer);
    const booked = async (firstName: string, phone: string, slot: string) => {
      const d = await insertDetainee(establishment.id, { firstName, lastName: 'Wiśniewski' });
      await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents) VALUES ($1, 5000, 914)`, [d.id]);
      const contact = await insertContact(d.id, officerRow.id, { name: 'فاطمة الزهراء بن علي', phone });
      await insertBooking({
        establishmentId: establishment.id,
        detainee: { id: d.id, contact: contact.id },
        deviceId: device.id,
        slot,
        agentId: officerRow.id,
      });
    };
    // Yesterday's call never closed; today's 10:30 call under way, its contact's number refused by the SMS sender (no code sent).
    await booked('Łukasz', '+33611223344', '[2026-12-21 09:30:00+00, 2026-12-21 10:15:00+00)');
    await booked('Kazimierz', '+999999999', '[2026-12-22 09:30:00+00, 2026-12-22 10:15:00+00)');
    const violations: string[] = [];
    const widths: string[] = [];
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const fits = async (p: { fitsWidth(): Promise<boolean> }) => {
      if (!(await p.fitsWidth())) widths.push(page.url());
    };
    await suite.app.resetClock();
    await signInBrowser(page, suite.app.url, officer);
    await suite.app.setClock('2026-12-22T09:32:00Z', { frozen: true });

    await page.goto(`${suite.app.url}/etablissements/${establishment.code}/visio/jour?date=2026-12-22`, { waitUntil: 'load' });
    const day = await VideoCallDayPage.on(page, violations);
    await fits(day);
    expect(await day.codeMissing()).toEqual([expect.stringContaining('Code non envoyé')]);
    await day.sendCode();
    const refused = await VideoCallDayPage.on(page, violations);
    await fits(refused);
    expect(await refused.testId('problem').innerText()).toContain('n’est pas valide');
    await refused.callsToClose();

    const toClose = await VideoCallsToClosePage.on(page, violations);
    await fits(toClose);
    expect(await toClose.rows()).toEqual([expect.stringMatching(/^lundi 21 décembre 2026, 10:30–11:15\s+WIŚNIEWSKI Łukasz/)]);
    await toClose.recordOutcome();
    await fits(await VideoCallOutcomePage.on(page, violations));

    expect(violations).toEqual([]);
    expect(widths).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
