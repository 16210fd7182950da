import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import {
  type AgentRow,
  insertAgent,
  grantRole,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { dayIn, insertRoom, insertSlotTemplate, setVisitSettings, weekdayOf } from './factories/visits';

const suite = appForTests();
let agentRow: AgentRow;
let agent: Agent;
beforeAll(async () => {
  // The visiting-room agent of the file; each test gives them a role in its own establishment.
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', {
    givenName: 'Aylin',
    usualName: 'Öztürk',
  });
  agent = await signInAgent(suite.app.url, agentRow);
});

/** An establishment with a weekly slot, where the agent works, and a detainee holding a paper permit. */
async function desk(o: { familyAccountId?: string } = {}) {
  const establishment = await insertEstablishment();
  const room = await insertRoom(establishment.id);
  await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(dayIn(3)) });
  const detainee = await insertDetainee(establishment.id, { firstName: 'Ştefan', lastName: 'Ionescu' });
  const permit = await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    familyAccountId: o.familyAccountId ?? null,
    visitorGivenName: 'Łucja',
    visitorFamilyName: 'Nguyễn-Şahin',
    visitorBirthdate: '1970-05-05',
  });
  await grantRole(agentRow.id, establishment.id, 'PARLOIR_AGENT');
  return { establishment, detainee, permit, url: `/etablissements/${establishment.code}/visites/reserver` };
}

/** The booking form for a detainee, as the agent finds it by écrou. */
async function formFor(url: string, ecrou: string) {
  return page(await agent.get(`${url}?ecrou=${encodeURIComponent(ecrou)}`).expect(200));
}

describe('a visiting-room agent books on a family’s behalf', () => {
  it('finds the detainee by écrou, checks the same rules, records the channel, refuses a bad phone number at entry', async () => {
    const { establishment, detainee, permit, url } = await desk();
    const unknown = await formFor(url, '999999');
    expect(unknown.fieldError('ecrou-search')).toBe('Aucune personne détenue présente n’a ce numéro d’écrou.');
    const form = await formFor(url, detainee.ecrouNumber);
    expect(form.text('found-detainee')).toBe(`Ştefan Ionescu (écrou ${detainee.ecrouNumber})`);
    expect(form.options('permitIds')).toEqual([permit.id]);
    expect(form.labelOf('permitIds', permit.id)).toBe('Łucja Nguyễn-Şahin');
    const [slot] = form.options('slot');
    const base = { ...form.formFields(url), permitIds: permit.id, slot };
    const noChannel = await agent.post(url).type('form').send(base).expect(400);
    expect(page(noChannel).errors()).toEqual(['Indiquez comment la famille a demandé la visite']);
    const badPhone = await agent
      .post(url)
      .type('form')
      .send({ ...base, channel: 'PHONE', phone: '0612' })
      .expect(400);
    expect(page(badPhone).fieldError('phone')).toContain('Le numéro de téléphone « 0612 » n’est pas valide');
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
    const ok = await agent
      .post(url)
      .type('form')
      .send({ ...base, channel: 'PHONE', phone: '06 12 34 56 78' })
      .expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(ok.headers.location)![1];
    expect(page(await agent.get(ok.headers.location).expect(200)).text('booked')).toContain(reference);
    const visit = await queryOne(
      `SELECT channel, booked_by_agent AS "bookedBy", appointment_id IS NOT NULL AS "hasAppointment" FROM visits WHERE reference = $1`,
      [reference],
    );
    expect(visit).toEqual({ channel: 'PHONE', bookedBy: agentRow.id, hasAppointment: true });
    const admin = await insertAgent([{ establishmentId: establishment.id, role: 'ADMIN' }]);
    await (await signInAgent(suite.app.url, admin)).get(url).expect(403);
  });

  it('books for a family with an account where families may not book online themselves', async () => {
    const family = await insertFamily({ givenName: 'Amira', familyName: 'Ben Saïd' });
    const { establishment, detainee, permit, url } = await desk({ familyAccountId: family.id });
    await setVisitSettings(establishment.id, { onlineBooking: false });
    const form = await formFor(url, detainee.ecrouNumber);
    const [slot] = form.options('slot');
    await agent
      .post(url)
      .type('form')
      .send({ ...form.formFields(url), permitIds: permit.id, slot, channel: 'IN_PERSON' })
      .expect(303);
    expect(await query(`SELECT channel, family_account_id AS "familyId" FROM visits WHERE detainee_id = $1`, [detainee.id])).toEqual([
      { channel: 'IN_PERSON', familyId: family.id },
    ]);
  });

  it('refuses in French a visitor id that is not a UUID, a repeated écrou, and a NUL character', async () => {
    const { establishment, detainee, permit, url } = await desk();
    const form = await formFor(url, detainee.ecrouNumber);
    const [slot] = form.options('slot');
    const base = { ...form.formFields(url), permitIds: permit.id, slot, channel: 'PHONE' };

    const notUuid = await agent
      .post(url)
      .type('form')
      .send({ ...base, permitIds: ['x', permit.id] })
      .expect(400);
    expect(page(notUuid).errors()).toEqual(['Choisissez les visiteurs dans la liste']);

    const twice = await agent
      .post(url)
      .type('form')
      .send({ ...base, ecrou: [detainee.ecrouNumber, '1'] })
      .expect(400);
    expect(page(twice).fieldError('ecrou-search')).toBe('Saisissez le numéro d’écrou de la personne détenue (un seul)');
    const searchedTwice = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&ecrou=1`).expect(400));
    expect(searchedTwice.fieldError('ecrou-search')).toBe('Saisissez un seul numéro d’écrou (50 caractères au plus)');

    const nul = page(await agent.get(`${url}?ecrou=12%0034`).expect(400));
    expect(nul.heading()).toBe('Requête incorrecte');
    expect(nul.mainText()).toContain('Votre saisie contient un caractère non autorisé');
    const nulPosted = await agent
      .post(url)
      .type('form')
      .send({ ...base, ecrou: `${detainee.ecrouNumber}\u0000` })
      .expect(400);
    expect(page(nulPosted).mainText()).toContain('Votre saisie contient un caractère non autorisé');
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
  });
});
