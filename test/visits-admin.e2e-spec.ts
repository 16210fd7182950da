import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, insertAgent, grantRole, insertAgentElsewhere, insertEstablishment } from './factories/people';
import { insertRoom, insertSlotTemplate } from './factories/visits';

const suite = appForTests();

let adminRow: AgentRow;
let admin: Agent;
beforeAll(async () => {
  // The administrator of the file; each test gives them the role in its own establishment.
  adminRow = await insertAgentElsewhere('ADMIN', {
    givenName: 'Oğuz',
    usualName: 'Çelik',
  });
  admin = await signInAgent(suite.app.url, adminRow);
});

/** A new establishment the administrator administers, and the posting of its "Parloirs" page's forms. */
async function administrator() {
  const establishment = await insertEstablishment();
  await grantRole(adminRow.id, establishment.id, 'ADMIN');
  const base = `/etablissements/${establishment.code}/parloirs`;
  /** Posts one of the page's forms, as the browser would (with the page's CSRF token). */
  const post = async (path: string, fields: Record<string, string | string[]>) =>
    admin
      .post(`${base}/${path}`)
      .type('form')
      .send({ _csrf: page(await admin.get(base).expect(200)).csrf(), ...fields });
  return { establishment, base, post };
}

/** The cells of the table rows marked `data-testid="<id>"`. */
function cells(p: HtmlPage, id: string): string[][] {
  return p
    .testId(id)
    .toArray()
    .map((row) =>
      p
        .$(row)
        .find('td')
        .toArray()
        .map((td) => p.$(td).text().replace(/\s+/g, ' ').trim()),
    );
}

const SETTINGS = {
  minNoticeHours: '48',
  horizonDays: '21',
  cancelDeadlineHours: '24',
  maxAdults: '3',
  maxChildren: '2',
  weeklyPrevenu: '4',
  weeklyCondamne: '1',
  onlineBooking: 'oui',
  waitlistOfferHours: '6',
};

describe('the administrator sets up the visiting rooms, self-service', () => {
  it('adds a room, a weekly slot within its cabins, and a closure with a reason', async () => {
    const { establishment, base, post } = await administrator();
    expect((await post('salles', { name: 'Parloir Ünal', kind: 'ORDINARY', cabins: '10' })).status).toBe(303);
    const dup = await post('salles', { name: 'Parloir Ünal', kind: 'ORDINARY', cabins: '4' });
    expect(dup.status).toBe(400);
    expect(page(dup).errors()).toEqual(['Un parloir porte déjà ce nom.']);
    const room = await queryOne<{ id: string }>(`SELECT id FROM visiting_rooms WHERE establishment_id = $1 AND name = 'Parloir Ünal'`, [
      establishment.id,
    ]);
    const slot = { roomId: room.id, dayOfWeek: '3', start: '14:00', end: '15:00', capacity: '10', validFrom: '01/12/2026' };
    const tooBig = await post('creneaux', { ...slot, capacity: '12' });
    expect(tooBig.status).toBe(400);
    expect(page(tooBig).fieldError('capacity')).toBe(
      'Le parloir n’a que 10 cabine(s) : la capacité du créneau ne peut pas dépasser ce nombre.',
    );
    const badTime = await post('creneaux', { ...slot, start: '15:00', end: '14:00' });
    expect(badTime.status).toBe(400);
    expect(page(badTime).fieldError('end')).toBe('Heure de fin au format HH:MM, après le début');
    expect((await post('creneaux', slot)).status).toBe(303);
    const noReason = await post('fermetures', { day: '16/12/2099', reason: '' });
    expect(noReason.status).toBe(400);
    expect(page(noReason).fieldError('reason')).toBe('Indiquez la raison de la fermeture (les familles la verront)');
    expect((await post('fermetures', { day: '16/12/2099', reason: 'Exercice de sécurité' })).status).toBe(303);
    const done = page(await admin.get(`${base}?fait=fermeture`).expect(200));
    expect(done.text('done')).toBe('La fermeture est enregistrée : les familles ne peuvent plus réserver ce créneau.');
    expect(cells(done, 'closure')).toEqual([
      [
        '16 décembre 2099',
        'Tous les parloirs',
        'Exercice de sécurité',
        'Modifier la fermeture du 16 décembre 2099Lever la fermeture du 16 décembre 2099',
      ],
    ]);
    expect(cells(done, 'template')).toEqual([
      ['Mercredi', '14:00–15:00', 'Parloir Ünal', '10', 'du 1 décembre 2026', 'Modifier le créneau du mercredi 14:00 (Parloir Ünal)'],
    ]);
    expect(done.texts('room')).toEqual(['Parloir Ünal — Ordinaire, 10 cabine(s) ou table(s)']);
    const audit = await query<{ action: string; label: string }>(
      `SELECT action, actor_label AS label FROM audit_log WHERE actor_type = 'AGENT' AND establishment_id = $1 ORDER BY id`,
      [establishment.id],
    );
    expect(audit).toEqual([
      { action: 'VISITING_ROOM_CREATED', label: 'Oğuz Çelik' },
      { action: 'SLOT_TEMPLATE_CREATED', label: 'Oğuz Çelik' },
      { action: 'CLOSURE_CREATED', label: 'Oğuz Çelik' },
    ]);
  });

  it('saves the booking settings, never below the weekly visits the law guarantees', async () => {
    const { establishment, post } = await administrator();
    const low = await post('reglages', { ...SETTINGS, weeklyPrevenu: '2' });
    expect(low.status).toBe(400);
    expect(page(low).errors()).toEqual([
      'Plafond de visites par semaine pour une personne prévenue (3 au moins, article L341-2) : un nombre entier entre 3 et 21',
    ]);
    expect(page(low).value('weeklyPrevenu')).toBe('2');
    expect((await post('reglages', SETTINGS)).status).toBe(303);
    const row = await queryOne(
      `SELECT min_notice_hours AS "minNoticeHours", weekly_prevenu AS "weeklyPrevenu", online_booking AS "onlineBooking",
              open_on_holidays AS "openOnHolidays", waitlist_offer_hours AS "waitlistOfferHours"
         FROM visit_settings WHERE establishment_id = $1`,
      [establishment.id],
    );
    expect(row).toEqual({ minNoticeHours: 48, weeklyPrevenu: 4, onlineBooking: true, openOnHolidays: false, waitlistOfferHours: 6 });
  });

  it('refuses in French a room or a slot id that is not a UUID, and a field sent twice', async () => {
    const { establishment, post } = await administrator();
    const room = await insertRoom(establishment.id, { cabins: 4 });
    const template = await insertSlotTemplate(room.id, { dayOfWeek: 2, capacity: 4 });
    const slot = { roomId: 'x', dayOfWeek: '3', start: '14:00', end: '15:00', capacity: '4', validFrom: '01/12/2026' };
    const badRoom = await post('creneaux', slot);
    expect(badRoom.status).toBe(400);
    expect(page(badRoom).errors()).toEqual(['Choisissez un parloir de l’établissement.']);
    const closure = { day: '16/12/2099', reason: 'Travaux' };
    const closureRoom = await post('fermetures', { ...closure, roomId: 'x' });
    expect(closureRoom.status).toBe(400);
    expect(page(closureRoom).errors()).toEqual(['Choisissez un parloir dans la liste']);
    const closureTemplate = await post('fermetures', { ...closure, roomId: room.id, templateId: `${template.id}x` });
    expect(closureTemplate.status).toBe(400);
    expect(page(closureTemplate).errors()).toEqual(['Choisissez un créneau dans la liste']);
    const twice = await post('creneaux', { ...slot, roomId: room.id, validFrom: ['01/12/2026', '02/12/2026'] });
    expect(twice.status).toBe(400);
    expect(page(twice).errors()).toEqual(['Date de début au format JJ/MM/AAAA']);
    const named = await post('salles', { name: ['A', 'B'], kind: 'ORDINARY', cabins: '2' });
    expect(named.status).toBe(400);
    expect(page(named).errors()).toEqual(['Nommez le parloir (60 caractères au plus)']);
    expect(await query(`SELECT count(*)::int AS n FROM closures WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM slot_templates WHERE room_id = $1`, [room.id])).toEqual([{ n: 1 }]);
  });

  it('is for the administrators of the establishment only', async () => {
    const { establishment, base } = await administrator();
    const other = await insertEstablishment();
    const parloir = await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }]);
    await (await signInAgent(suite.app.url, parloir)).get(base).expect(403);
    // The administrator of both establishments manages both.
    await grantRole(adminRow.id, other.id, 'ADMIN');
    await admin.get(`/etablissements/${other.code}/parloirs`).expect(200);
    const elsewhere = await insertAgent([{ establishmentId: other.id, role: 'PERMITS_OFFICER' }]);
    await (await signInAgent(suite.app.url, elsewhere)).get(base).expect(403);
  });
});
