import { appointmentInput, bookAppointment, insertAppointment, uniqueEmail, uniquePhone } from './factories/appointments';
import { demoEstablishment, insertAgent, insertEstablishment, insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { HtmlPage, page } from './helpers/html';
import { waitFor } from './helpers/processes';
import { signInAgent, signInFamily } from './helpers/sign-in';

/**
 * Families' phone number, "Mes rendez-vous", cancellation, the SMS opt-out link and "Messages
 * envoyés", through the running app (its outbox worker delivers to the demo SMTP server and SMS
 * endpoint). Every test makes its own people and appointments.
 */
const suite = appForTests();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface InboxRow {
  recipient: string;
  subject: string | null;
  body: string;
  attachments: string[];
}

/** Waits for the app's worker to deliver what the test expects in the demo inbox. */
function delivered(what: string, sql: string, params: unknown[], atLeast = 1): Promise<InboxRow[]> {
  return waitFor(
    what,
    async () => {
      const rows = await query<InboxRow>(sql, params);
      return rows.length >= atLeast ? rows : undefined;
    },
    15000,
  );
}

describe('families: phone number, appointments, cancellation', () => {
  it('refuses an invalid phone number with a clear French message, stores a valid one in E.164', async () => {
    const family = await insertFamily({ givenName: 'Ştefan', familyName: 'محمد' });
    const agent = await signInFamily(suite.app.url, family);
    const form = page(await agent.get('/mon-espace/telephone').expect(200));
    const bad = page(await agent.post('/mon-espace/telephone').type('form').send({ _csrf: form.csrf(), phone: '06 12' }).expect(400));
    expect(bad.errors()).toEqual(['Le numéro de téléphone « 06 12 » n’est pas valide. Exemple : 06 12 34 56 78.']);
    expect(bad.value('phone')).toBe('06 12');
    await agent
      .post('/mon-espace/telephone')
      .type('form')
      .send({ _csrf: form.csrf(), phone: '07 98 76 54 32' })
      .expect(303)
      .expect('Location', '/mon-espace?fait=telephone');
    expect(await queryOne(`SELECT mobile_phone FROM family_accounts WHERE id = $1`, [family.id])).toEqual({ mobile_phone: '+33798765432' });
    const home = page(await agent.get('/mon-espace?fait=telephone').expect(200));
    expect(home.mainText()).toContain('Votre numéro de téléphone est enregistré');
  });

  it('refuses a NUL character in the phone number with a French 400 page, and stores nothing', async () => {
    const family = await insertFamily();
    const agent = await signInFamily(suite.app.url, family);
    const form = page(await agent.get('/mon-espace/telephone').expect(200));
    const refused = page(
      await agent.post('/mon-espace/telephone').type('form').send({ _csrf: form.csrf(), phone: '06 12 34\u000056 78' }).expect(400),
    );
    expect(refused.heading()).toBe('Requête incorrecte');
    expect(await queryOne(`SELECT mobile_phone FROM family_accounts WHERE id = $1`, [family.id])).toEqual({ mobile_phone: null });
  });

  it('sends the booking confirmations of the demo data through the demo SMTP server', async () => {
    const inbox = await delivered(
      'confirmations delivered',
      `SELECT recipient, subject, body, attachments FROM demo_inbox WHERE channel = 'EMAIL' AND recipient = 'camille.martin@example.fr'
        ORDER BY id`,
      [],
      2,
    );
    expect(inbox.every((m) => m.subject?.startsWith('Rendez-vous confirmé le '))).toBe(true);
    // The visit's convocation carries its QR code and its calendar file.
    expect(inbox.map((m) => [...m.attachments].sort())).toContainEqual([
      'convocation-qr.png (image/png)',
      'rendez-vous.ics (text/calendar)',
    ]);
  });

  it('a family cancels after confirming: reminders cancelled, a cancellation e-mail sent; another family cannot', async () => {
    const establishment = await demoEstablishment();
    const lucja = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const visit = await bookAppointment(appointmentInput(establishment.id, { familyAccountId: lucja.id, contactEmail: lucja.email }));
    const agent = await signInFamily(suite.app.url, lucja);
    const list = page(await agent.get('/mes-rendez-vous').expect(200));
    const upcoming = list.texts('upcoming-appointment');
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0]).toContain('Visite au parloir');
    expect(upcoming[0]).toContain(`Référence : ${visit.reference}`);

    // Another family guesses the id: not found, and nothing changes.
    const other = await signInFamily(suite.app.url, await insertFamily({ givenName: 'محمد', familyName: 'Ştefănescu' }));
    await other.get(`/mes-rendez-vous/${visit.id}/annuler`).expect(404);
    expect(page(await other.get('/mes-rendez-vous').expect(200)).has('upcoming-appointment')).toBe(false);
    const otherCsrf = page(await other.get('/mon-espace/telephone').expect(200)).csrf();
    await other.post(`/mes-rendez-vous/${visit.id}/annuler`).type('form').send({ _csrf: otherCsrf }).expect(404);
    expect(await queryOne(`SELECT status FROM appointments WHERE id = $1`, [visit.id])).toEqual({ status: 'BOOKED' });

    const confirm = page(await agent.get(`/mes-rendez-vous/${visit.id}/annuler`).expect(200));
    expect(confirm.heading()).toMatch(/^Annuler le rendez-vous du /);
    expect(confirm.text('appointment-summary')).toContain(`référence ${visit.reference}`);
    await agent
      .post(`/mes-rendez-vous/${visit.id}/annuler`)
      .type('form')
      .send({ _csrf: confirm.csrf() })
      .expect(303)
      .expect('Location', '/mes-rendez-vous?annule=1');
    const after = page(await agent.get('/mes-rendez-vous?annule=1').expect(200));
    expect(after.text('cancelled-notice')).toContain('Le rendez-vous est annulé');
    expect(after.has('upcoming-appointment')).toBe(false);
    expect(after.texts('other-appointment')).toEqual([expect.stringContaining('(annulé)')]);

    const reminders = await query<{ status: string; status_reason: string }>(
      `SELECT status, status_reason FROM notifications WHERE entity_id = $1 AND category = 'REMINDER'`,
      [visit.id],
    );
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((r) => r.status === 'CANCELLED' && r.status_reason === 'Rendez-vous annulé')).toBe(true);
    const [mail] = await delivered(
      'cancellation e-mail',
      `SELECT recipient, subject, body, attachments FROM demo_inbox WHERE recipient = $1 AND subject LIKE '%annulé%'`,
      [lucja.email],
    );
    expect(mail.subject).toContain(`(réf. ${visit.reference})`);
    expect(mail.body).toContain('Ne vous déplacez pas');
    expect(await query(`SELECT action, actor_type, actor_label FROM audit_log WHERE entity_id = $1 ORDER BY id`, [visit.id])).toEqual([
      { action: 'APPOINTMENT_BOOKED', actor_type: 'SYSTEM', actor_label: 'P2V' },
      { action: 'APPOINTMENT_CANCELLED', actor_type: 'FAMILY', actor_label: 'Łucja Nguyễn-Şahin' },
    ]);
  });

  it('says on the same page why an appointment can no longer be cancelled (409): already cancelled, or past', async () => {
    const establishment = await demoEstablishment();
    const family = await insertFamily();
    const cancelled = await insertAppointment({ establishmentId: establishment.id, familyAccountId: family.id, status: 'CANCELLED' });
    const past = await insertAppointment({
      establishmentId: establishment.id,
      familyAccountId: family.id,
      startsAt: new Date(Date.now() - DAY),
    });
    const agent = await signInFamily(suite.app.url, family);
    const csrf = page(await agent.get(`/mes-rendez-vous/${past.id}/annuler`).expect(200)).csrf();

    const already = page(await agent.get(`/mes-rendez-vous/${cancelled.id}/annuler`).expect(200));
    expect(already.heading()).toBe('Ce rendez-vous est déjà annulé');
    const again = page(await agent.post(`/mes-rendez-vous/${cancelled.id}/annuler`).type('form').send({ _csrf: csrf }).expect(409));
    expect(again.errors()).toEqual(['Ce rendez-vous est déjà annulé.']);

    const tooLate = page(await agent.post(`/mes-rendez-vous/${past.id}/annuler`).type('form').send({ _csrf: csrf }).expect(409));
    expect(tooLate.errors()).toEqual(['Ce rendez-vous est passé : il ne peut plus être annulé.']);
    expect(tooLate.heading()).toMatch(/^Annuler le rendez-vous du /);
    expect(await queryOne(`SELECT status FROM appointments WHERE id = $1`, [past.id])).toEqual({ status: 'BOOKED' });
  });

  it('answers 404 to an appointment id that is not a UUID, never a 500', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily());
    const csrf = page(await agent.get('/mon-espace/telephone').expect(200)).csrf();
    for (const id of ['pas-un-uuid', '1e20', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000G']) {
      await agent.get(`/mes-rendez-vous/${encodeURIComponent(id)}/annuler`).expect(404);
      await agent
        .post(`/mes-rendez-vous/${encodeURIComponent(id)}/annuler`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(404);
    }
  });

  it('the SMS opt-out link stops reminders, after a confirmation', async () => {
    const establishment = await demoEstablishment();
    const phone = uniquePhone();
    const startsAt = new Date(Date.now() + 2 * DAY + HOUR);
    const a = await bookAppointment(appointmentInput(establishment.id, { contactPhone: phone.typed, startsAt }));
    const { optout_token: token, id: recipientId } = await queryOne<{ optout_token: string; id: string }>(
      `SELECT id, optout_token FROM notification_recipients WHERE channel = 'SMS' AND address = $1`,
      [phone.e164],
    );
    const http = suite.app.http();
    const form = page(await http.get(`/stop/${token}`).expect(200));
    expect(form.heading()).toBe('Ne plus recevoir les rappels de rendez-vous ?');
    expect(await queryOne(`SELECT reminders_opted_out_at FROM notification_recipients WHERE id = $1`, [recipientId])).toEqual({
      reminders_opted_out_at: null,
    });
    await http.post(`/stop/${token}`).type('form').send({ _csrf: form.csrf() }).expect(303).expect('Location', `/stop/${token}`);
    const done = page(await http.get(`/stop/${token}`).expect(200));
    expect(done.heading()).toBe('Vous ne recevrez plus de rappels');
    await http.post(`/stop/${token}`).type('form').send({ _csrf: form.csrf() }).expect(303); // said twice: recorded once
    expect(await query(`SELECT actor_label FROM audit_log WHERE action = 'REMINDERS_OPTED_OUT' AND entity_id = $1`, [recipientId])).toEqual(
      [{ actor_label: 'lien de désinscription' }],
    );

    // The day before, the SMS reminder is dropped, saying why.
    await suite.app.setClock(new Date(startsAt.getTime() - DAY + 60_000), { frozen: true });
    try {
      const sms = await waitFor(
        'SMS reminder dropped',
        async () =>
          (
            await query<{ status: string; status_reason: string }>(
              `SELECT status, status_reason FROM notifications WHERE entity_id = $1 AND category = 'REMINDER' AND channel = 'SMS'
                AND status NOT IN ('PENDING', 'SENDING')`,
              [a.id],
            )
          )[0],
        15000,
      );
      expect(sms).toEqual({ status: 'DROPPED', status_reason: 'Le destinataire a refusé les rappels' });
    } finally {
      await suite.app.resetClock();
    }
    expect(await query(`SELECT count(*)::int AS n FROM demo_inbox WHERE recipient = $1`, [phone.e164])).toEqual([{ n: 0 }]);
  });

  it('the app’s worker re-checks a reminder with the appointments module’s check: dropped once the appointment is cancelled', async () => {
    const establishment = await demoEstablishment();
    const startsAt = new Date(Date.now() + 3 * DAY);
    const a = await bookAppointment(appointmentInput(establishment.id, { contactPhone: null, startsAt }));
    // Cancelled by a path that left its reminder waiting (the outbox must not trust it).
    await query(`UPDATE appointments SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`, [a.id]);
    await suite.app.setClock(new Date(startsAt.getTime() - 2 * DAY + 60_000), { frozen: true });
    try {
      const reminder = await waitFor(
        'reminder re-checked',
        async () =>
          (
            await query<{ status: string; status_reason: string }>(
              `SELECT status, status_reason FROM notifications WHERE entity_id = $1 AND category = 'REMINDER'
                AND status NOT IN ('PENDING', 'SENDING')`,
              [a.id],
            )
          )[0],
        15000,
      );
      expect(reminder).toEqual({ status: 'DROPPED', status_reason: 'Rendez-vous annulé' });
    } finally {
      await suite.app.resetClock();
    }
  });

  it('answers 404 to an opt-out link whose token is not one, never a 500', async () => {
    // A real link first, for the session's form token.
    const real = await queryOne<{ optout_token: string }>(
      `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ('SMS', $1, $2) RETURNING optout_token`,
      [uniquePhone().e164, `t${Date.now().toString(36)}`.padEnd(12, '0').slice(0, 12)],
    );
    const http = suite.app.http();
    const csrf = page(await http.get(`/stop/${real.optout_token}`).expect(200)).csrf();
    for (const token of ['inconnu-000000', 'x', 'a'.repeat(300), "' OR 1=1 --", 'é'.repeat(12), '%E2%80%AE']) {
      await http.get(`/stop/${encodeURIComponent(token)}`).expect(404);
      await http
        .post(`/stop/${encodeURIComponent(token)}`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(404);
    }
    await http.get('/stop/abc%00defghijk').expect(400);
  });
});

/** The messages of "Messages envoyés", as the table shows them. */
function messagesOf(p: HtmlPage) {
  return p
    .testId('message')
    .toArray()
    .map((row) => {
      const cell = (id: string) => p.$(row).find(`[data-testid="${id}"]`).text().replace(/\s+/g, ' ').trim();
      return {
        address: cell('message-address'),
        subject: cell('message-subject'),
        status: cell('message-status'),
        body: cell('message-body'),
      };
    });
}

describe('"Messages envoyés"', () => {
  async function establishmentWithMessages() {
    const [north, south] = [await insertEstablishment(), await insertEstablishment()];
    const admin = await insertAgent(
      [
        { establishmentId: north.id, role: 'ADMIN' },
        { establishmentId: south.id, role: 'ADMIN' },
      ],
      { givenName: 'Ştefan', usualName: 'محمد' },
    );
    const email = uniqueEmail();
    const phone = uniquePhone();
    const a = await bookAppointment(
      appointmentInput(north.id, {
        contactEmail: email,
        contactPhone: phone.typed,
        place: 'Bureau de Łucja Nguyễn-Şahin',
        startsAt: new Date(Date.now() + 5 * DAY),
      }),
    );
    await waitFor(
      'confirmation sent',
      async () =>
        (
          await query(`SELECT 1 FROM notifications WHERE entity_id = $1 AND template = 'appointment-confirmation' AND status = 'SENT'`, [
            a.id,
          ])
        )[0],
      15000,
    );
    return { north, south, admin, email, phone, agent: await signInAgent(suite.app.url, admin) };
  }

  it('shows the outbox of the establishment, statuses and content, and the demo inbox, to its administrators only', async () => {
    const { north, south, email, phone, agent } = await establishmentWithMessages();
    const all = page(await agent.get(`/etablissements/${north.code}/messages`).expect(200));
    expect(all.heading()).toContain('Messages envoyés');
    const messages = messagesOf(all);
    expect(messages.map((m) => [m.address, m.status]).sort()).toEqual(
      [
        [email, 'Envoyé'],
        [email, 'En attente'],
        [phone.e164, 'En attente'],
      ].sort(),
    );
    const confirmation = messages.find((m) => m.status === 'Envoyé')!;
    expect(confirmation.subject).toMatch(/^Rendez-vous confirmé le /);
    expect(confirmation.body).toContain('Bureau de Łucja Nguyễn-Şahin');
    expect(all.has('demo-inbox')).toBe(true);
    expect(all.texts('captured-message').some((m) => m.includes(email))).toBe(true);

    const sent = page(await agent.get(`/etablissements/${north.code}/messages?statut=SENT`).expect(200));
    expect(messagesOf(sent).map((m) => m.status)).toEqual(['Envoyé']);
    expect(sent.value('statut')).toBe('SENT');

    const greffe = await insertAgent([{ establishmentId: north.id, role: 'PERMITS_OFFICER' }]);
    await (await signInAgent(suite.app.url, greffe)).get(`/etablissements/${north.code}/messages`).expect(403);
    const other = page(await agent.get(`/etablissements/${south.code}/messages`).expect(200));
    expect(other.text('no-message')).toBe('Aucun message.');
    // The demo inbox shows no other establishment's messages either.
    expect(other.texts('captured-message').some((m) => m.includes(email))).toBe(false);
  });

  it('reads ?page=1e20 as the first page, ignores an unknown or repeated status, and refuses a NUL in the filter (400)', async () => {
    const { north, agent } = await establishmentWithMessages();
    const path = `/etablissements/${north.code}/messages`;
    for (const q of [
      'page=1e20',
      'page=-1',
      'page=99999999999999999999',
      'statut=INCONNU',
      'statut=SENT&statut=PENDING',
      'statut[x]=SENT',
    ]) {
      const res = page(await agent.get(`${path}?${q}`).expect(200));
      expect([q, res.text('message-count')]).toEqual([q, '3 messages.']);
      expect(messagesOf(res)).toHaveLength(3);
    }
    await agent.get(`${path}?statut=SENT%00`).expect(400);
    await agent.get(`${path}?page=1%00`).expect(400);
  });
});
