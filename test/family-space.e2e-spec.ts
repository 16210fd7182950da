import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { signInFamily } from './helpers/sign-in';
import { insertAppointment } from './factories/appointments';
import { insertStay } from './factories/family-visits-entitlement';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { insertDetainee, insertFamily } from './factories/people';
import { insertPermit, insertPermitRequest } from './factories/permits';
import { setPermitTerms } from './factories/validity';
import { at, dayIn, insertBookedVisit, insertBookingSetup, insertWaitlistEntry, type BookingSetup } from './factories/visits';

const suite = appForTests();
const DAY = 24 * 3_600_000;

/** A visit of the setup's family in `days` days at 14:00, with its appointment, as an online booking leaves it. */
const bookedVisit = (s: BookingSetup, days: number) => insertBookedVisit(s, at(dayIn(days), '14:00'));

describe('« Mes visites et rendez-vous »: one place for what the family must attend', () => {
  it('lists the visits, UVF or PF stays, interviews and video calls to come, soonest first, each with its actions, and nobody else’s', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Łukasz', familyName: 'Şükrüoğlu' } });
    const visit = await bookedVisit(s, 3);
    const interview = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      kind: 'SPIP_INTERVIEW',
      startsAt: at(dayIn(2), '10:00'),
    });
    const call = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      kind: 'VIDEO_CALL',
      startsAt: at(dayIn(5), '09:30'),
    });
    const unit = await insertUnit(s.establishment.id, { kind: 'UVF', name: 'UVF Les Tilleuls' });
    const uvf = await insertAuthorisedCase(s.establishment.id, { familyAccountId: s.family.id, firstName: 'محمد', lastName: 'Haddad' });
    const stay = await insertStay({ caseId: uvf.caseId, unitId: unit.id, from: new Date(Date.now() + 9 * DAY), hours: 24 });
    const past = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      kind: 'SPIP_INTERVIEW',
      status: 'CANCELLED',
    });
    // Another family's visit and interview are never shown.
    const other = await insertBookingSetup({ establishment: s.establishment, detainee: { firstName: 'Ştefan', lastName: 'Ionescu' } });
    const stranger = await bookedVisit(other, 4);

    const agent = await signInFamily(suite.app.url, s.family);
    const mine = page(await agent.get('/mes-rendez-vous').expect(200));
    expect(mine.heading()).toBe('Mes visites et rendez-vous');
    const cards = mine.testId('upcoming-appointment').toArray();
    expect(cards.map((c) => mine.$(c).attr('data-kind'))).toEqual(['SPIP_INTERVIEW', 'VISIT', 'VIDEO_CALL', 'UVF']);
    const links = (i: number) =>
      mine
        .$(cards[i])
        .find('a')
        .toArray()
        .map((a) => [mine.$(a).text().replace(/\s+/g, ' ').trim(), mine.$(a).attr('href')]);
    expect(links(0)).toEqual([[expect.stringMatching(/^Annuler le rendez-vous du /), `/mes-rendez-vous/${interview.id}/annuler`]]);
    expect(links(1)).toEqual([
      [`Déplacer la visite ${visit.reference}`, `/visites/${visit.id}/deplacer`],
      [`Annuler la visite ${visit.reference}`, `/mes-rendez-vous/${visit.appointmentId}/annuler`],
    ]);
    expect(links(2)).toEqual([[expect.stringMatching(/^Annuler le rendez-vous du /), `/mes-rendez-vous/${call.id}/annuler`]]);
    expect(links(3)).toEqual([[expect.stringMatching(/^Voir la visite du .* : ce qu’il faut apporter$/), `/uvf/sejours/${stay.id}`]]);
    expect(mine.texts('appointment-kind')).toEqual([
      'Entretien avec le service pénitentiaire d’insertion et de probation (SPIP)',
      'Visite au parloir',
      'Appel en visiophonie',
      'Unité de vie familiale (UVF)',
    ]);
    expect(mine.text('upcoming-appointment')).toContain(s.establishment.name);
    expect(mine.$(cards[1]).text()).toContain(`Avec ${s.detainee.firstName} ${s.detainee.lastName}`);
    expect(mine.$(cards[3]).text()).toContain('Avec محمد HADDAD');
    expect(mine.$(cards[3]).text()).toContain('UVF Les Tilleuls');
    expect(mine.texts('appointment-reference')).toEqual([interview.reference, visit.reference, call.reference]);
    expect(mine.texts('other-appointment')).toEqual([expect.stringMatching(/ — Entretien avec le service .* \(annulé\)$/)]);
    expect(mine.testId('other-appointment').attr('data-reference')).toBe(past.reference);
    expect(mine.mainText()).not.toContain(stranger.reference);
    expect(mine.mainText()).not.toContain(other.detainee.lastName);
  });

  it('says in a sentence that nothing is to come, with no empty table', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Nguyễn', familyName: 'Thị Hoa' }));
    const mine = page(await agent.get('/mes-rendez-vous').expect(200));
    expect(mine.text('no-upcoming-appointment')).toBe('Vous n’avez aucune visite ni aucun rendez-vous à venir.');
    expect(mine.$('table').length).toBe(0);
    expect(mine.has('other-appointment')).toBe(false);
  });

  it('is the one entry of the family’s menu: « Mes visites » leads there with its notice, and cancelling a visit comes back to it', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Ayşe', familyName: 'Yılmaz' } });
    const visit = await bookedVisit(s, 3);
    const agent = await signInFamily(suite.app.url, s.family);

    const nav = page(await agent.get('/mon-espace').expect(200));
    const menu = nav
      .$('#navigation a')
      .toArray()
      .map((a) => [nav.$(a).text().trim(), nav.$(a).attr('href')]);
    expect(menu).toContainEqual(['Mes visites et rendez-vous', '/mes-rendez-vous']);
    expect(menu.map(([, href]) => href)).not.toContain('/visites');

    await agent.get('/visites').expect(302).expect('Location', '/mes-rendez-vous');
    await agent
      .get(`/visites?reservee=${visit.reference}&autre=1`)
      .expect(302)
      .expect('Location', `/mes-rendez-vous?reservee=${visit.reference}`);
    const booked = page(await agent.get(`/visites?reservee=${visit.reference}`).redirects(1).expect(200));
    expect(booked.text('booked')).toContain(`Référence : ${visit.reference}.`);
    const moved = page(await agent.get(`/visites?deplacee=${visit.reference}`).redirects(1).expect(200));
    expect(moved.text('moved')).toContain(`Votre visite ${visit.reference} est déplacée`);

    const confirm = page(await agent.get(`/mes-rendez-vous/${visit.appointmentId}/annuler`).expect(200));
    expect(confirm.link('Non, le garder')).toBe('/mes-rendez-vous');
    await agent
      .post(`/mes-rendez-vous/${visit.appointmentId}/annuler`)
      .type('form')
      .send({ _csrf: confirm.csrf() })
      .expect(303)
      .expect('Location', '/mes-rendez-vous?annule=1');
    const after = page(await agent.get('/mes-rendez-vous?annule=1').expect(200));
    expect(after.heading()).toBe('Mes visites et rendez-vous');
    expect(after.text('cancelled-notice')).toContain('Le rendez-vous est annulé');
    expect(after.has('upcoming-appointment')).toBe(false);
    expect(after.texts('other-appointment')).toEqual([expect.stringMatching(/ — Visite au parloir — Avec .* \(annulée\)$/)]);
  });
});

describe('« Mon espace » starts with what the family came for', () => {
  it('shows a place offered first, the next visits with their actions, the requests in progress and the permits, then the identity below', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' } });
    const visits = [await bookedVisit(s, 2), await bookedVisit(s, 9), await bookedVisit(s, 16), await bookedVisit(s, 23)];
    const draft = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'DRAFT',
      step: 4,
    });
    const sent = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'INCOMPLETE',
    });
    await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'REFUSED',
    });
    const other = await insertDetainee(s.establishment.id, { firstName: 'Şükrü', lastName: 'Lefèvre' });
    await insertPermit({ establishmentId: s.establishment.id, detaineeId: other.id, familyAccountId: s.family.id, status: 'WITHDRAWN' });
    // A place freed on a full slot is offered to the family: the answer is due first.
    const offer = await insertWaitlistEntry({
      establishmentId: s.establishment.id,
      templateId: s.template.id,
      day: dayIn(5),
      startsAt: at(dayIn(5), '14:00'),
      familyAccountId: s.family.id,
      detaineeId: s.detainee.id,
      permitIds: [s.permit.id],
      offerExpiresAt: new Date(Date.now() + 3 * 3_600_000),
    });

    const agent = await signInFamily(suite.app.url, s.family);
    const home = page(await agent.get('/mon-espace').expect(200));
    const headings = home
      .$('main h2')
      .toArray()
      .map((h) => home.$(h).text().trim());
    expect(headings).toEqual([
      'Une place vous est proposée',
      'Mes prochaines visites et rendez-vous',
      'Mes demandes de permis en cours',
      'Mes permis de visite',
      'Mon identité',
      'Mes coordonnées pour les rappels',
      'Mes données',
    ]);
    expect(home.text('waitlist-offer')).toContain(`avec ${s.detainee.firstName} ${s.detainee.lastName}`);
    expect(home.link('confirmer ou refuser')).toBe(`/visites/liste-attente/${offer.id}`);
    expect(
      home
        .testId('upcoming-appointment')
        .toArray()
        .map((c) => home.$(c).attr('data-reference')),
    ).toEqual(visits.slice(0, 3).map((v) => v.reference));
    expect(home.link(`Déplacer la visite ${visits[0].reference}`)).toBe(`/visites/${visits[0].id}/deplacer`);
    expect(home.link(`Annuler la visite ${visits[0].reference}`)).toBe(`/mes-rendez-vous/${visits[0].appointmentId}/annuler`);
    expect(home.text('all-appointments')).toBe('Voir tout (1 de plus)');

    const requests = home.testId('request-in-progress').toArray();
    // Latest first, the refused one aside.
    expect(requests.map((r) => home.$(r).attr('data-reference') ?? 'brouillon')).toEqual([sent.reference, 'brouillon']);
    expect(home.texts('request-status')).toEqual(['Incomplète : documents demandés', 'Brouillon']);
    expect(home.link('Reprendre la demande')).toBe(`/demandes/${draft.id}/etape/4`);
    expect(home.link('Envoyer les documents demandés')).toBe(`/demandes/${sent.id}`);

    // The withdrawn permit waits on « Mes permis »; the valid one is here, with its booking button.
    expect(home.texts('permit-detainee')).toEqual([expect.stringContaining(`${s.detainee.firstName} ${s.detainee.lastName}`)]);
    expect(home.texts('permit-state')).toEqual(['Valide']);
    expect(home.testId('permit-book').attr('href')).toBe('/visites/reserver');
    expect(home.text('identity-given-name')).toBe('Łucja');
  });

  it('says in sentences when there is nothing yet', async () => {
    const family = await insertFamily({ givenName: 'Zofia', familyName: 'Wójcik' });
    const agent = await signInFamily(suite.app.url, family);
    const home = page(await agent.get('/mon-espace').expect(200));
    expect(home.text('no-upcoming-appointment')).toBe('Vous n’avez aucune visite ni aucun rendez-vous à venir.');
    expect(home.text('no-request-in-progress')).toBe('Aucune demande de permis en cours.');
    expect(home.text('no-permit')).toBe('Aucun permis en cours de validité n’est lié à votre compte.');
    expect(home.has('waitlist-offer')).toBe(false);
  });
});

describe('a granted request and the acknowledgement', () => {
  it('a granted request shows its permit: number, validity, visitor, conditions, and « Réserver une visite »', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Łukasz', familyName: 'Kowalski' } });
    const request = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'GRANTED',
      visitorGivenName: 'Łukasz',
      visitorFamilyName: 'Kowalski',
    });
    const permit = await insertPermit({
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      familyAccountId: s.family.id,
      visitorGivenName: 'Łukasz',
      visitorFamilyName: 'Kowalski',
      origin: 'ONLINE',
      validFrom: '2026-02-01',
    });
    await query(`UPDATE permits SET request_id = $2 WHERE id = $1`, [permit.id, request.id]);
    await setPermitTerms(permit.id, { validTo: '2027-12-31', roomCondition: 'SEPARATION', allowedDays: [3, 6] });

    const agent = await signInFamily(suite.app.url, s.family);
    const shown = page(await agent.get(`/demandes/${request.id}`).expect(200));
    expect(shown.text('status')).toBe('Accordée');
    const granted = shown.testId('granted-permit');
    expect(granted.length).toBe(1);
    expect(shown.text('permit-number')).toBe(request.reference);
    expect(shown.text('permit-visitor')).toBe('Łukasz Kowalski');
    expect(shown.text('permit-detainee')).toContain(`${s.detainee.firstName} ${s.detainee.lastName}`);
    expect(shown.text('permit-limits')).toBe('Limité : jusqu’au 31/12/2027');
    expect(shown.text('permit-valid-from')).toBe('1 février 2026');
    expect(shown.texts('permit-condition')).toEqual([expect.stringContaining('séparation'), 'Jours : mercredi, samedi']);
    expect(shown.text('permit-state')).toBe('Valide');
    expect(shown.text('permit-book')).toBe(`Réserver une visite avec le permis de Łukasz Kowalski`);
    expect(shown.testId('permit-book').attr('href')).toBe('/visites/reserver');
    expect(shown.has('next-steps')).toBe(false);
  });

  it('the acknowledgement says what happens next and by when, and keeps the reference whole', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Şükrü', familyName: 'Öztürk' } });
    const request = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'SUBMITTED',
      submittedAt: new Date('2026-11-02T10:00:00Z'),
      completeAt: new Date('2026-11-02T10:00:00Z'),
    });
    const agent = await signInFamily(suite.app.url, s.family);
    const shown = page(await agent.get(`/demandes/${request.id}?envoyee=1`).expect(200));
    expect(shown.testId('sent-reference').attr('class')).toContain('p2v-nowrap');
    expect(shown.$('h1 .p2v-nowrap').text()).toBe(request.reference);
    const next = shown.text('next-steps');
    expect(shown.text('decision-deadline')).toBe('2 janvier 2027');
    expect(next).toContain('examine votre demande');
    expect(next).toContain('au plus tard le 2 janvier 2027');
    expect(next).toContain('Vous êtes prévenu(e) par e-mail');
    expect(next).toContain('quand il décide');
    expect(shown.text('implicit-rejection-date')).toContain('2 janvier 2027');
  });
});
