import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import {
  insertAgent,
  grantRole,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type AgentRow,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { dayIn, insertRoom } from './factories/visits';

const HEADER = 'date_visite;heure_debut;heure_fin;parloir;numero_ecrou;nom_visiteur;prenom_visiteur;date_naissance_visiteur';
const [Y, M, D] = dayIn(0).split('-');
const TODAY = `${D}/${M}/${Y}`;

const suite = appForTests();
let agentRow: AgentRow;
let agent: Agent;
beforeAll(async () => {
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', {
    givenName: 'Thị Lan',
    usualName: 'Hoàng',
  });
  agent = await signInAgent(suite.app.url, agentRow);
});

/**
 * A new establishment where the agent works, with the room named in the lists, a detainee whose
 * family holds a digital permit (Łucja Nguyễn-Şahin, born 14/03/1988) and another detainee.
 */
async function establishmentWithPermit() {
  const establishment = await insertEstablishment();
  await grantRole(agentRow.id, establishment.id, 'PARLOIR_AGENT');
  await insertRoom(establishment.id, { name: 'Parloir familles 1' });
  const detainee = await insertDetainee(establishment.id);
  const other = await insertDetainee(establishment.id);
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1988-03-14' });
  await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    familyAccountId: family.id,
    visitorGivenName: family.givenName,
    visitorFamilyName: family.familyName,
    visitorBirthdate: family.birthdate,
  });
  return {
    establishment,
    ecrou: detainee.ecrouNumber,
    otherEcrou: other.ecrouNumber,
    base: `/etablissements/${establishment.code}/parloir`,
  };
}

async function upload(base: string, csv: string | Buffer) {
  const form = page(await agent.get(`${base}/import`).expect(200));
  return agent
    .post(`${base}/import`)
    .field('_csrf', form.csrf())
    .attach('fichier', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename: 'visites.csv', contentType: 'text/csv' });
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

describe('import of the daily visit list exported from GENESIS', () => {
  it('documents the expected columns on the page', async () => {
    const { base } = await establishmentWithPermit();
    const form = page(await agent.get(`${base}/import`).expect(200));
    expect(form.texts('column')).toEqual(HEADER.split(';'));
  });

  it('matches detainees and permits, flags visitors without a digital permit, rejects bad lines, and can be imported twice', async () => {
    const { establishment, ecrou, otherEcrou, base } = await establishmentWithPermit();
    const csv = [
      HEADER,
      `${TODAY};18:00;19:00;Parloir familles 1;${ecrou};NGUYỄN-ŞAHIN;Łucja;14/03/1988`,
      `${TODAY};18:00;19:00;Parloir familles 1;${ecrou};Inconnu;Paul;01/01/1990`,
      `${TODAY};18:00;19:00;Parloir inexistant;${otherEcrou};Durand;Léa;01/01/1991`,
      `${TODAY};18:00;19:00;Parloir familles 1;999999;Durand;Léa;01/01/1991`,
      `${TODAY};25:00;19:00;Parloir familles 1;${otherEcrou};Durand;Léa;01/01/1991`,
    ].join('\n');
    const first = await upload(base, csv);
    expect(first.status).toBe(200);
    const report = page(first);
    expect(report.text('import-created')).toBe('1 visite(s) ajoutée(s)');
    expect(report.text('import-unmatched')).toBe('1 visiteur(s) sans permis numérique correspondant (à vérifier sur le permis papier)');
    expect(cells(report, 'unmatched-visitor')).toEqual([['3', 'Paul INCONNU', ecrou]]);
    expect(report.text('import-rejected')).toBe('3 ligne(s) refusée(s)');
    expect(cells(report, 'rejected-line')).toEqual([
      ['4', 'parloir « Parloir inexistant » inconnu : son nom doit être celui de la page Parloirs'],
      ['5', 'aucune personne détenue présente n’a le numéro d’écrou 999999'],
      ['6', expect.stringMatching(/^heure de début invalide « 25:00 »/)],
    ]);

    const visit = await queryOne<{ id: string; channel: string; status: string }>(
      `SELECT id, channel, status FROM visits WHERE establishment_id = $1`,
      [establishment.id],
    );
    expect(visit).toMatchObject({ channel: 'GENESIS', status: 'BOOKED' });
    const visitors = await query(
      `SELECT permit_id IS NOT NULL AS matched, family_name AS "familyName" FROM visit_visitors WHERE visit_id = $1 ORDER BY matched DESC`,
      [visit.id],
    );
    expect(visitors).toEqual([
      { matched: true, familyName: null },
      { matched: false, familyName: 'Inconnu' },
    ]);

    // The arrival check works the same on an imported visit; the unmatched visitor is flagged.
    const visitPage = page(await agent.get(`${base}/visites/${visit.id}`).expect(200));
    expect(visitPage.texts('visitor-warning')).toEqual(['Sans permis numérique (visite importée de GENESIS) : vérifiez le permis papier.']);
    const unmatched = await queryOne<{ id: string }>(`SELECT id FROM visit_visitors WHERE visit_id = $1 AND permit_id IS NULL`, [visit.id]);
    await agent
      .post(`${base}/visites/${visit.id}/visiteurs/${unmatched.id}`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), status: 'ARRIVED' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'IN_PROGRESS' }]);

    const again = page(await upload(base, csv));
    expect(again.text('import-created')).toBe('0 visite(s) ajoutée(s)');
    expect(again.text('import-existing')).toBe('1 visite(s) déjà dans P2V, laissée(s) telle(s) quelle(s)');
    expect(
      await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1 AND channel = 'GENESIS'`, [establishment.id]),
    ).toEqual([{ n: 1 }]);
    expect(
      await query(`SELECT actor_label AS label FROM audit_log WHERE action = 'VISITS_IMPORTED' AND establishment_id = $1`, [
        establishment.id,
      ]),
    ).toEqual([{ label: 'Thị Lan Hoàng' }, { label: 'Thị Lan Hoàng' }]);
  });

  it('refuses a file without the expected columns or not in UTF-8, saying why', async () => {
    const { ecrou, base } = await establishmentWithPermit();
    const wrong = await upload(base, 'date;parloir\n01/01/2026;X');
    expect(wrong.status).toBe(422);
    expect(cells(page(wrong), 'rejected-line')).toEqual([
      ['1', expect.stringMatching(/^Colonnes manquantes dans l’en-tête : date_visite, heure_debut/)],
    ]);
    const latin1 = await upload(
      base,
      Buffer.from(`${HEADER}\n${TODAY};18:00;19:00;Parloir familles 1;${ecrou};Léa;Dé;01/01/1990`, 'latin1'),
    );
    expect(latin1.status).toBe(400);
    expect(page(latin1).text('file-error')).toBe('Le fichier n’est pas un texte CSV encodé en UTF-8');
  });

  it('is for the visiting-room agents of the establishment', async () => {
    const { establishment, base } = await establishmentWithPermit();
    const elsewhere = await insertAgentElsewhere('PERMITS_OFFICER');
    await (await signInAgent(suite.app.url, elsewhere)).get(`${base}/import`).expect(403);
    const permits = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }]);
    await (await signInAgent(suite.app.url, permits)).get(`${base}/import`).expect(403);
  });
});
