import { smsLength } from '../src/notifications/notification.rules';
import { insertAgent, insertDetainee, insertEstablishment, insertFamily } from './factories/people';
import { insertPermitRequest, insertRequestDocuments } from './factories/permits';
import { insertBookingSetup } from './factories/visits';
import { query, queryOne } from './helpers/db';
import { frenchWordsIn } from './helpers/french';
import { page } from './helpers/html';
import { permitsApp } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { signInAgent, signInFamily } from './helpers/sign-in';

/**
 * The messages to a family in its language (issue #16), through the outbox to the demo SMS and
 * e-mail services: what the family receives, not only what was queued.
 */
const suite = permitsApp();

const RECOURSE =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
  "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

/** What the demo services received for an address. */
function received(channel: 'SMS' | 'EMAIL', recipient: string, subject = '%') {
  return waitFor(
    `the ${channel} to ${recipient}`,
    async () =>
      (
        await query<{ subject: string | null; body: string; attachments: string[] }>(
          `SELECT subject, body, attachments FROM demo_inbox WHERE channel = $1 AND recipient = $2 AND coalesce(subject, '') LIKE $3`,
          [channel, recipient, subject],
        )
      )[0],
    20000,
  );
}

const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, ' ');

describe('the messages to a family, through the outbox, in its language', () => {
  it('sends a family reading Arabic the SMS of its cancelled visit in Arabic, in at most 3 parts', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'عائشة', familyName: 'Benali', mobilePhone: '+33798765432' } as never,
      detainee: { lastName: 'Haddad' },
    });
    const agent = await signInFamily(suite.app.url, setup.family);
    await agent.get('/langue/ar?retour=%2Fvisites%2Freserver').expect(303);
    const form = page(await agent.get('/visites/reserver').expect(200));
    await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...form.formFields('/visites/reserver'), slot: form.options('slot')[0] })
      .expect(303);
    const visit = await queryOne<{ appointmentId: string; reference: string }>(
      `SELECT appointment_id AS "appointmentId", reference FROM visits WHERE family_account_id = $1`,
      [setup.family.id],
    );
    const confirm = page(await agent.get(`/mes-rendez-vous/${visit.appointmentId}/annuler`).expect(200));
    await agent.post(`/mes-rendez-vous/${visit.appointmentId}/annuler`).type('form').send({ _csrf: confirm.csrf() }).expect(303);

    const sms = await received('SMS', '+33798765432');
    expect(sms.body).toMatch(new RegExp(`^P2V العدل: أُلغي موعدك يوم .+، المرجع ${visit.reference}\\. لا تحضر\\. التفاصيل: http`));
    expect(sms.body).toContain('إيقاف التذكير: http');
    expect(frenchWordsIn(withoutLinks(sms.body))).toEqual([]);
    const length = smsLength(sms.body);
    expect(length.encoding).toBe('UCS-2');
    expect(length.segments).toBeLessThanOrEqual(3);
    // The e-mail of the same cancellation: Arabic, right to left.
    const mail = await received('EMAIL', setup.family.email, `إلغاء الموعد%${visit.reference}%`);
    expect(mail.subject).toMatch(/^إلغاء الموعد المقرر يوم /);
    expect(mail.body).toContain('الموعد المذكور أدناه ملغى. لا تحضر.');
    const html = await queryOne<{ html: string }>(
      `SELECT body_html AS html FROM notifications WHERE template = 'appointment-cancelled' AND channel = 'EMAIL' AND data->>'reference' = $1`,
      [visit.reference],
    );
    expect(html.html).toContain('<html lang="ar" dir="rtl">');
  });

  it('sends a family reading English the e-mail of a refused permit: the letter is French, the official version, the recourse quoted in French, then translated', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    await query(
      `UPDATE establishments SET address = '3 rue Łukasiewicza, 59000 Lille', phone = '03 20 12 34 56', interregional_direction = 'DISP de Lille' WHERE id = $1`,
      [establishment.id],
    );
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const chefRow = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Zofia',
      usualName: 'Łukasiewicz',
    });
    await query(`UPDATE agents SET quality = 'directrice' WHERE id = $1`, [chefRow.id]);
    const familyAgent = await signInFamily(suite.app.url, family);
    await familyAgent.get('/langue/en').expect(303);
    const request = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
    });
    await insertRequestDocuments(suite.docs, request.id);
    const chef = await signInAgent(suite.app.url, chefRow);
    const instructionUrl = `/etablissements/${establishment.code}/permis/demandes/${request.id}`;
    const instruction = page(await chef.get(instructionUrl).expect(200));
    const motivation = 'Le visiteur a introduit un téléphone lors de la visite du 2 mars.';
    await chef
      .post(`${instructionUrl}/decision`)
      .type('form')
      .send({ _csrf: instruction.csrf(), decision: 'REFUSE', ground: 'GOOD_ORDER', motivation })
      .expect(303);

    const mail = await received('EMAIL', family.email, `%${request.reference}%`);
    expect(mail.subject).toBe(`Decision on your visiting permit request (ref. ${request.reference})`);
    expect(mail.body).toContain(
      'The visiting permit requested for Łucja Nguyễn-Şahin at the prison Centre pénitentiaire de Ștefănești is refused.',
    );
    expect(mail.body).toContain('Legal ground: Keeping good order');
    expect(mail.body).toContain(`Reasons for the decision, as written by the prison in French: ${motivation}`);
    expect(mail.body).toMatch(/The decision letter is on P2V: http\S+\nThe letter is in French: it is the official version\./);
    // The recourse routes: verbatim in French, said to be so, then translated.
    expect(mail.body).toContain('How to challenge the decision (official text, in French):');
    expect(mail.body).toContain(RECOURSE);
    expect(mail.body).toContain(
      'Translation:\nYou can challenge this decision in three ways: ask the head of the prison to review it (Centre pénitentiaire de Ștefănești); ask the regional director of prison services (DISP de Lille); or take your case to the administrative court.',
    );
    const french = mail.body.indexOf('Vous pouvez contester');
    const leftText = [mail.body.slice(0, french), mail.body.slice(mail.body.indexOf('Translation:'))]
      .join(' ')
      .split('Centre pénitentiaire de Ștefănești')
      .join(' ')
      .split(motivation)
      .join(' ');
    expect(frenchWordsIn(withoutLinks(leftText))).toEqual([]);
    // In HTML, what stays French is marked so.
    const stored = await queryOne<{ html: string }>(
      `SELECT body_html AS html FROM notifications WHERE template = 'permit-request-refused' AND data->>'reference' = $1`,
      [request.reference],
    );
    const $ = page({ text: stored.html }).$;
    expect($('html').attr('lang')).toBe('en');
    expect($('[lang="fr"]').text()).toContain(RECOURSE);
    $('[lang="fr"]').remove();
    expect(frenchWordsIn(withoutLinks($('body').text()))).toEqual([]);
  });
});
