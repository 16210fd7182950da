import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { waitFor } from './helpers/processes';
import { csrfOf, FAMILY, signIn, STAFF } from './helpers/sign-in';

const suite = appForTests();

describe('families: phone number, appointments, cancellation', () => {
  it('refuses an invalid phone number with a clear French message, stores a valid one in E.164', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.karim);
    const form = await agent.get('/mon-espace/telephone').expect(200);
    const bad = await agent
      .post('/mon-espace/telephone')
      .type('form')
      .send({ _csrf: csrfOf(form), phone: '06 12' })
      .expect(400);
    expect(bad.text).toContain('Le numéro de téléphone « 06 12 » n’est pas valide. Exemple : 06 12 34 56 78.');
    expect(bad.text).toContain('value="06 12"');
    await agent
      .post('/mon-espace/telephone')
      .type('form')
      .send({ _csrf: csrfOf(form), phone: '07 98 76 54 32' })
      .expect(303)
      .expect('Location', '/mon-espace?fait=telephone');
    const [row] = await query(`SELECT mobile_phone FROM family_accounts WHERE fc_subject = $1`, [FAMILY.karim]);
    expect(row.mobile_phone).toBe('+33798765432');
    const home = await agent.get('/mon-espace?fait=telephone').expect(200);
    expect(home.text).toContain('Votre numéro de téléphone est enregistré');
  });

  it('sends the booking confirmations of the demo data through the demo SMTP server', async () => {
    const inbox = await waitFor(
      'confirmations delivered',
      async () => {
        const rows = await query(`SELECT recipient, subject, attachments FROM demo_inbox WHERE channel = 'EMAIL' ORDER BY id`);
        return rows.length >= 2 ? rows : undefined;
      },
      20000,
    );
    expect(inbox[0].recipient).toBe('camille.martin@example.fr');
    expect(inbox[0].subject).toMatch(/^Rendez-vous confirmé le /);
    expect([...inbox[0].attachments].sort()).toEqual(['convocation-qr.png (image/png)', 'rendez-vous.ics (text/calendar)']);
  });

  it('a family cancels after confirming: reminders cancelled, a cancellation e-mail sent; another family cannot', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.camille);
    const list = await agent.get('/mes-rendez-vous').expect(200);
    expect(list.text).toContain('Visite au parloir');
    const [visit] = await query(
      `SELECT a.id, a.reference FROM appointments a JOIN family_accounts f ON f.id = a.family_account_id WHERE f.fc_subject = $1 AND a.kind = 'VISIT'`,
      [FAMILY.camille],
    );

    // Karim guesses the id: not found, and nothing changes.
    const karim = await signIn(suite.app.url, FAMILY.karim);
    await karim.agent.get(`/mes-rendez-vous/${visit.id}/annuler`).expect(404);
    const karimForm = await karim.agent.get('/mon-espace/telephone');
    await karim.agent
      .post(`/mes-rendez-vous/${visit.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(karimForm) })
      .expect(404);
    expect(await query(`SELECT status FROM appointments WHERE id = $1`, [visit.id])).toEqual([{ status: 'BOOKED' }]);

    const confirm = await agent.get(`/mes-rendez-vous/${visit.id}/annuler`).expect(200);
    expect(confirm.text).toContain('Annuler le rendez-vous du');
    await agent
      .post(`/mes-rendez-vous/${visit.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(303)
      .expect('Location', '/mes-rendez-vous?annule=1');
    const after = await agent.get('/mes-rendez-vous?annule=1').expect(200);
    expect(after.text).toContain('Le rendez-vous est annulé');

    const reminders = await query(`SELECT status, status_reason FROM notifications WHERE entity_id = $1 AND category = 'REMINDER'`, [
      visit.id,
    ]);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => r.status === 'CANCELLED' && r.status_reason === 'Rendez-vous annulé')).toBe(true);
    const mail = await waitFor(
      'cancellation e-mail',
      async () => {
        const rows = await query(`SELECT subject, body FROM demo_inbox WHERE subject LIKE '%annulé%'`);
        return rows[0];
      },
      20000,
    );
    expect(mail.subject).toContain(`(réf. ${visit.reference})`);
    expect(mail.body).toContain('Ne vous déplacez pas');
    expect(await query(`SELECT action, actor_type FROM audit_log WHERE entity_id = $1 ORDER BY id`, [visit.id])).toEqual([
      { action: 'APPOINTMENT_BOOKED', actor_type: 'SYSTEM' },
      { action: 'APPOINTMENT_CANCELLED', actor_type: 'FAMILY' },
    ]);
  });

  it('the SMS opt-out link stops reminders, after a confirmation', async () => {
    const [recipient] = await query(`SELECT optout_token FROM notification_recipients WHERE channel = 'SMS' AND address = '+33612345678'`);
    const page = await suite.app.http().get(`/stop/${recipient.optout_token}`).expect(200);
    expect(page.text).toContain('Ne plus recevoir les rappels de rendez-vous ?');
    expect(
      await query(`SELECT reminders_opted_out_at FROM notification_recipients WHERE optout_token = $1`, [recipient.optout_token]),
    ).toEqual([{ reminders_opted_out_at: null }]);
    const http = suite.app.http();
    const form = await http.get(`/stop/${recipient.optout_token}`);
    await http
      .post(`/stop/${recipient.optout_token}`)
      .type('form')
      .send({ _csrf: csrfOf(form) })
      .expect(303);
    const done = await http.get(`/stop/${recipient.optout_token}`).expect(200);
    expect(done.text).toContain('Vous ne recevrez plus de rappels');
    await suite.app.http().get('/stop/inconnu-000000').expect(404);
    expect(await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'REMINDERS_OPTED_OUT'`)).toEqual([{ n: 1 }]);
  });
});

describe('"Messages envoyés"', () => {
  it('shows the outbox of the establishment, statuses and content, and the demo inbox, to its administrators only', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.admin);
    const page = await agent.get('/etablissements/CPNORD/messages').expect(200);
    expect(page.text).toContain('Messages envoyés');
    expect(page.text).toContain('camille.martin@example.fr');
    expect(page.text).toContain('Envoyé');
    expect(page.text).toContain('En attente');
    expect(page.text).toContain('Boîte de réception de démonstration');
    const sent = await agent.get('/etablissements/CPNORD/messages?statut=SENT').expect(200);
    expect(sent.text).not.toContain('En attente</p>');
    const greffe = await signIn(suite.app.url, STAFF.permitsNord);
    await greffe.agent.get('/etablissements/CPNORD/messages').expect(403);
    const sud = await agent.get('/etablissements/MASUD/messages').expect(200);
    expect(sud.text).toContain('Aucun message.');
  });
});
