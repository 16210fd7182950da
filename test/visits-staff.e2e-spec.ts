import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { csrfOf, signIn, STAFF } from './helpers/sign-in';

const suite = appForTests();

describe('a visiting-room agent books on a family’s behalf', () => {
  it('finds the detainee by écrou, checks the same rules, records the channel, refuses a bad phone number at entry', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.parloirNord);
    const unknown = await agent.get('/etablissements/CPNORD/visites/reserver?ecrou=999999').expect(200);
    expect(unknown.text).toContain('Aucune personne détenue présente n’a ce numéro d’écrou.');
    // A detainee with no visit booked yet (the demo's are booked for today), holding a paper permit.
    const [d] = await query(
      `SELECT d.id, d.ecrou_number, d.establishment_id FROM detainees d JOIN establishments e ON e.id = d.establishment_id
        WHERE e.code = 'CPNORD' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.detainee_id = d.id) ORDER BY d.ecrou_number LIMIT 1`,
    );
    await query(
      `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, valid_from, origin)
       VALUES ($1, $2, 'Nadia', 'Roussel', '1970-05-05', 'SPOUSE', '2026-01-01', 'PAPER')`,
      [d.establishment_id, d.id],
    );
    const form = await agent.get(`/etablissements/CPNORD/visites/reserver?ecrou=${d.ecrou_number}`).expect(200);
    const permitId = /name="permitIds" value="([^"]+)"/.exec(form.text)![1];
    const slot = /name="slot" value="([^"]+)"/.exec(form.text)![1];
    const key = /name="key" value="([^"]+)"/.exec(form.text)![1];
    const base = { _csrf: csrfOf(form), ecrou: d.ecrou_number, permitIds: permitId, slot, key };
    const noChannel = await agent.post('/etablissements/CPNORD/visites/reserver').type('form').send(base).expect(400);
    expect(noChannel.text).toContain('Indiquez comment la famille a demandé la visite');
    const badPhone = await agent
      .post('/etablissements/CPNORD/visites/reserver')
      .type('form')
      .send({ ...base, channel: 'PHONE', phone: '0612' })
      .expect(400);
    expect(badPhone.text).toContain('Le numéro de téléphone « 0612 » n’est pas valide');
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE booked_by_agent IS NOT NULL`)).toEqual([{ n: 0 }]);
    const ok = await agent
      .post('/etablissements/CPNORD/visites/reserver')
      .type('form')
      .send({ ...base, channel: 'PHONE', phone: '06 12 34 56 78' })
      .expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(ok.headers.location)![1];
    const [visit] = await query(
      `SELECT channel, booked_by_agent IS NOT NULL AS by_agent, appointment_id IS NOT NULL AS has_appointment FROM visits WHERE reference = $1`,
      [reference],
    );
    expect(visit).toEqual({ channel: 'PHONE', by_agent: true, has_appointment: true });
    const family = await signIn(suite.app.url, STAFF.admin);
    await family.agent.get('/etablissements/CPNORD/visites/reserver').expect(403);
  });
});
