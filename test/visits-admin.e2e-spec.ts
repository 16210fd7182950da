import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { Agent, csrfOf, signIn, STAFF } from './helpers/sign-in';

let app: TestApp;
let admin: Agent;
const base = '/etablissements/CPNORD/parloirs';
beforeAll(async () => {
  app = await startTestApp();
  admin = (await signIn(app.url, STAFF.admin)).agent;
});
afterAll(async () => {
  await app?.stop();
});

async function post(path: string, fields: Record<string, string>) {
  const page = await admin.get(base).expect(200);
  return admin
    .post(`${base}/${path}`)
    .type('form')
    .send({ _csrf: csrfOf(page), ...fields });
}

describe('the administrator sets up the visiting rooms, self-service', () => {
  it('adds a room, a weekly slot within its cabins, and a closure with a reason', async () => {
    expect((await post('salles', { name: 'Parloir A', kind: 'ORDINARY', cabins: '10' })).status).toBe(303);
    const dup = await post('salles', { name: 'Parloir A', kind: 'ORDINARY', cabins: '4' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('Un parloir porte déjà ce nom.');
    const [room] = await query(`SELECT id FROM visiting_rooms WHERE name = 'Parloir A'`);
    const tooBig = await post('creneaux', {
      roomId: room.id,
      dayOfWeek: '3',
      start: '14:00',
      end: '15:00',
      capacity: '12',
      validFrom: '01/12/2026',
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toContain('Le parloir n’a que 10 cabine(s)');
    const badTime = await post('creneaux', {
      roomId: room.id,
      dayOfWeek: '3',
      start: '15:00',
      end: '14:00',
      capacity: '10',
      validFrom: '01/12/2026',
    });
    expect(badTime.status).toBe(400);
    expect(badTime.text).toContain('Heure de fin au format HH:MM, après le début');
    expect(
      (await post('creneaux', { roomId: room.id, dayOfWeek: '3', start: '14:00', end: '15:00', capacity: '10', validFrom: '01/12/2026' }))
        .status,
    ).toBe(303);
    const noReason = await post('fermetures', { day: '16/12/2099', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Indiquez la raison de la fermeture');
    expect((await post('fermetures', { day: '16/12/2099', reason: 'Exercice de sécurité' })).status).toBe(303);
    const page = await admin.get(`${base}?fait=fermeture`).expect(200);
    expect(page.text).toContain('Exercice de sécurité');
    expect(page.text).toContain('Mercredi');
    expect(page.text).toContain('14:00–15:00');
    const audit = await query(
      `SELECT action FROM audit_log WHERE actor_type = 'AGENT' AND action IN ('VISITING_ROOM_CREATED','SLOT_TEMPLATE_CREATED','CLOSURE_CREATED') ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['VISITING_ROOM_CREATED', 'SLOT_TEMPLATE_CREATED', 'CLOSURE_CREATED']);
  });

  it('saves the booking settings, never below the weekly visits the law guarantees', async () => {
    const settings = {
      minNoticeHours: '48',
      horizonDays: '21',
      cancelDeadlineHours: '24',
      maxAdults: '3',
      maxChildren: '2',
      majorityAge: '18',
      weeklyPrevenu: '2',
      weeklyCondamne: '1',
      onlineBooking: 'oui',
      waitlistOfferHours: '6',
    };
    const low = await post('reglages', settings);
    expect(low.status).toBe(400);
    expect(low.text).toContain('Visites par semaine pour un prévenu (3 au moins, article L341-2) : un nombre entier entre 3 et 21');
    expect((await post('reglages', { ...settings, weeklyPrevenu: '4' })).status).toBe(303);
    const [row] = await query(
      `SELECT s.min_notice_hours, s.weekly_prevenu, s.online_booking, s.open_on_holidays, s.waitlist_offer_hours FROM visit_settings s JOIN establishments e ON e.id = s.establishment_id WHERE e.code = 'CPNORD'`,
    );
    expect(row).toEqual({
      min_notice_hours: 48,
      weekly_prevenu: 4,
      online_booking: true,
      open_on_holidays: false,
      waitlist_offer_hours: 6,
    });
  });

  it('is for the administrators of the establishment only', async () => {
    const parloir = (await signIn(app.url, STAFF.parloirNord)).agent;
    await parloir.get(base).expect(403);
    await admin.get('/etablissements/MASUD/parloirs').expect(200);
    const sud = (await signIn(app.url, STAFF.permitsSud)).agent;
    await sud.get(base).expect(403);
  });
});
