import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { optionsOfEveryWeek } from './helpers/booking-weeks';
import { page } from './helpers/html';
import { signInAgent, signInFamily, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment, insertFamily } from './factories/people';
import { insertPermit } from './factories/permits';
import { insertRoom, insertSlotTemplate } from './factories/visits';
import { insertDevice } from './factories/video-calls';

const suite = appForTests();

/**
 * Thursday 18 March 2027, 09:00 in Paris. Good Friday is Friday 26 March 2027: a public holiday in
 * Alsace-Moselle only (with 26 December), an ordinary Friday elsewhere in metropolitan France.
 */
const NOW = '2027-03-18T08:00:00Z';
const GOOD_FRIDAY = '2027-03-26';

let agentRow: AgentRow;
let agent: Agent;
beforeAll(async () => {
  agentRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Łukasz', usualName: 'Wiśniewski' });
  agent = await signInAgent(suite.app.url, agentRow);
  await suite.app.setClock(NOW, { frozen: true });
});
/**
 * An establishment of that holiday zone where the agent books video calls and visits: a call room, a
 * Friday visiting slot, a detainee ready to call (charter signed, credit) whom a family visits.
 */
async function establishment(name: string, holidayZone: 'METROPOLE' | 'ALSACE_MOSELLE') {
  const e = await insertEstablishment({ name, holidayZone });
  await grantRole(agentRow.id, e.id, 'ACTIVITIES_OFFICER');
  await grantRole(agentRow.id, e.id, 'PARLOIR_AGENT');
  await insertDevice(e.id, 'Salle 1');
  await insertSlotTemplate((await insertRoom(e.id)).id, { dayOfWeek: 5 });
  const detainee = await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Yılmaz' });
  await query(`INSERT INTO video_call_charters (detainee_id, signed_on, recorded_by) VALUES ($1, '2027-01-04', $2)`, [
    detainee.id,
    agentRow.id,
  ]);
  await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, plan_code) VALUES ($1, 5000, 'NONE')`, [detainee.id]);
  const family = await insertFamily({ givenName: 'Zofia', familyName: 'Wiśniewska' });
  await insertPermit({
    establishmentId: e.id,
    detaineeId: detainee.id,
    familyAccountId: family.id,
    visitorGivenName: 'Zofia',
    visitorFamilyName: 'Wiśniewska',
  });
  return { e, detainee, family, base: `/etablissements/${e.code}` };
}

/** The days of the visiting slots a booking page offers, week after week (its `slot` radios are "template|day"). */
async function slotDays(who: Agent, url: string): Promise<string[]> {
  return (await optionsOfEveryWeek(who, url)).map((value) => value.split('|')[1]);
}

describe('public holidays of the establishment’s zone', () => {
  it('an Alsace-Moselle establishment is closed on Good Friday for video calls and visits, a metropolitan one is open', async () => {
    const alsace = await establishment('Centre pénitentiaire de Strasbourg-Démonstration', 'ALSACE_MOSELLE');
    const metropole = await establishment('Centre pénitentiaire de Lille-Démonstration', 'METROPOLE');

    // The video-call settings page says which list applies.
    expect(page(await agent.get(`${alsace.base}/visio/parametres`).expect(200)).text('current-holidays')).toBe(
      'liste d’Alsace-Moselle (Vendredi saint, 26 décembre)',
    );
    expect(page(await agent.get(`${metropole.base}/visio/parametres`).expect(200)).text('current-holidays')).toBe(
      'liste nationale (métropole)',
    );

    // The video-call booking grid: Good Friday is closed in Alsace-Moselle, bookable elsewhere.
    const cell = `cell-${GOOD_FRIDAY}-09:30`;
    const alsaceGrid = page(
      await agent.get(`${alsace.base}/visio/reserver?detenu=${alsace.detainee.id}&semaine=${GOOD_FRIDAY}`).expect(200),
    );
    expect(alsaceGrid.testId(cell).attr('data-problem')).toBe('HOLIDAY');
    expect(alsaceGrid.text(cell)).toBe('Pas de visiophonie les jours fériés : vendredi 26 mars 2027 est férié (Vendredi saint).');
    expect(alsaceGrid.testId('cell-2027-03-25-09:30').attr('data-problem')).toBe('');
    const metropoleGrid = page(
      await agent.get(`${metropole.base}/visio/reserver?detenu=${metropole.detainee.id}&semaine=${GOOD_FRIDAY}`).expect(200),
    );
    expect(metropoleGrid.testId(cell).attr('data-problem')).toBe('');

    // The visiting slots, as the agent books for a family: no Good Friday slot in Alsace-Moselle.
    const alsaceDesk = await slotDays(agent, `${alsace.base}/visites/reserver?ecrou=${alsace.detainee.ecrouNumber}`);
    expect(alsaceDesk).toEqual(['2027-03-19', '2027-04-02', '2027-04-09']);
    const metropoleDesk = await slotDays(agent, `${metropole.base}/visites/reserver?ecrou=${metropole.detainee.ecrouNumber}`);
    expect(metropoleDesk).toEqual(['2027-03-19', GOOD_FRIDAY, '2027-04-02', '2027-04-09']);

    // And as each family books online.
    const alsaceFamily = await signInFamily(suite.app.url, alsace.family);
    expect(await slotDays(alsaceFamily, '/visites/reserver')).toEqual(['2027-03-19', '2027-04-02', '2027-04-09']);
    const metropoleFamily = await signInFamily(suite.app.url, metropole.family);
    expect(await slotDays(metropoleFamily, '/visites/reserver')).toEqual(['2027-03-19', GOOD_FRIDAY, '2027-04-02', '2027-04-09']);

    // A Good Friday visit cannot be booked in Alsace-Moselle by sending the form anyway.
    const form = page(await alsaceFamily.get('/visites/reserver').expect(200));
    const [slot] = form.options('slot');
    const refused = await alsaceFamily
      .post('/visites/reserver')
      .type('form')
      .send({ ...form.formFields('/visites/reserver'), slot: `${slot.split('|')[0]}|${GOOD_FRIDAY}` });
    expect(page(refused).errors()).toEqual(['Les parloirs sont fermés ce jour férié (Vendredi saint). Choisissez un autre jour.']);
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [alsace.e.id])).toEqual([{ n: 0 }]);
  });
});
