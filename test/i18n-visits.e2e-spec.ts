import { insertAppointment } from './factories/appointments';
import { insertDetainee, insertEstablishment } from './factories/people';
import { setPermitTerms } from './factories/validity';
import { at, dayIn, insertBookingSetup, insertVisit, insertWaitlistEntry, setVisitSettings } from './factories/visits';
import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { expectAccepted, expectTranslated, getTranslated } from './helpers/translated';
import { signInFamily } from './helpers/sign-in';

/**
 * The family's visit pages and « Mon espace » in English, Arabic and Spanish (issue #16): booking a
 * visit (with its errors), the agenda and its cards, moving and cancelling with their confirmation,
 * a waiting-list offer, the phone form. A translated page has its language and no French word, except
 * what is marked lang="fr": an establishment's name, a room's.
 */
const suite = appForTests();

type Language = 'en' | 'ar' | 'es';

/** What each language says where the test looks. */
const EXPECTED: Record<
  Language,
  {
    book: string;
    chooseSlot: string;
    chooseWhoComes: string;
    chooseNewSlot: string;
    booked: string;
    space: string;
    agenda: string;
    visitTitle: string;
    status: string;
    move: string;
    cancel: string;
    cancelTitle: string;
    cancelled: string;
    offer: string;
    waiting: string;
    phone: string;
    invalidPhone: string;
    phoneSaved: string;
    when: RegExp;
    /** In the label of an offered slot. */
    places: string;
    /** Why no slot can be taken with a permit for a visiting room with a separation screen. */
    room: string;
    staffOnly: string;
    /** A full slot, then the notice of a waiting list joined. */
    full: string;
    joined: string;
  }
> = {
  en: {
    book: 'Book a visit in the visiting room',
    chooseSlot: 'Choose a time slot',
    chooseWhoComes: 'Choose who is coming to the visit',
    chooseNewSlot: 'Choose the new time slot',
    booked: 'Your visit is booked. Reference:',
    space: 'My account',
    agenda: 'My visits and appointments',
    visitTitle: 'Visit in the visiting room',
    status: 'Booked',
    move: 'Move',
    cancel: 'Cancel',
    cancelTitle: 'Cancel the appointment on',
    cancelled: 'The appointment is cancelled. An email confirms it.',
    offer: 'A place is free: it is kept for you until',
    waiting: 'You are waiting: you are the next family.',
    phone: 'My mobile phone number',
    invalidPhone: 'The phone number “12” is not valid. Enter a number like 06 12 34 56 78.',
    phoneSaved: 'Your phone number is saved.',
    when: /^[A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}$/,
    places: '10 places left',
    full: 'Full',
    joined: 'You are on the waiting list. If a place becomes free, we will offer it to you by email and text message.',
    staffOnly: 'In this prison, visits cannot be booked online. To book, call the prison’s visiting room or go there in person.',
    room: 'One of the permits requires a specific visiting room: visiting room with a separation screen. Choose a time slot in that visiting room.',
  },
  ar: {
    book: 'حجز زيارة في قاعة الزيارات',
    chooseSlot: 'اختر موعدًا',
    chooseWhoComes: 'اختر من سيأتي إلى الزيارة',
    chooseNewSlot: 'اختر الموعد الجديد',
    booked: 'تم حجز زيارتك. المرجع:',
    space: 'حسابي',
    agenda: 'زياراتي ومواعيدي',
    visitTitle: 'زيارة في قاعة الزيارات',
    status: 'محجوزة',
    move: 'تغيير الموعد',
    cancel: 'إلغاء',
    cancelTitle: 'هل تريد إلغاء الموعد يوم',
    cancelled: 'تم إلغاء الموعد. سيؤكد لك ذلك بريد إلكتروني.',
    offer: 'أصبح مكان شاغرًا: إنه محجوز لك حتى',
    waiting: 'أنت في الانتظار: أنت العائلة التالية.',
    phone: 'رقم هاتفي المحمول',
    invalidPhone: 'رقم الهاتف «12» غير صالح. أدخل رقمًا مثل 06 12 34 56 78.',
    phoneSaved: 'تم حفظ رقم هاتفك.',
    when: /^\S+، \d{1,2} \S+ \d{4} الساعة \d{2}:\d{2}$/,
    places: 'أماكن شاغرة: 10',
    full: 'ممتلئ',
    joined: 'أنت مسجَّل في قائمة الانتظار. إذا أصبح مكان شاغرًا، سنقترحه عليك عبر البريد الإلكتروني والرسائل القصيرة.',
    staffOnly: 'في هذا السجن، لا تُحجز الزيارات عبر الإنترنت. للحجز، اتصل بقاعة الزيارات في السجن أو توجّه إليها مباشرة.',
    room: 'أحد التصاريح يفرض قاعة زيارة خاصة: قاعة زيارة بحاجز فاصل. اختر موعدًا في هذه القاعة.',
  },
  es: {
    book: 'Reservar una visita en el locutorio',
    chooseSlot: 'Elija un horario',
    chooseWhoComes: 'Elija quién viene a la visita',
    chooseNewSlot: 'Elija el nuevo horario',
    booked: 'Su visita está reservada. Referencia:',
    space: 'Mi espacio',
    agenda: 'Mis visitas y citas',
    visitTitle: 'Visita en el locutorio',
    status: 'Reservada',
    move: 'Cambiar',
    cancel: 'Cancelar',
    cancelTitle: '¿Cancelar la cita del',
    cancelled: 'La cita está cancelada. Un correo se lo confirma.',
    offer: 'Ha quedado una plaza libre: se la guardamos hasta el',
    waiting: 'Está en espera: usted es la próxima familia.',
    phone: 'Mi número de teléfono móvil',
    invalidPhone: 'El número de teléfono «12» no es válido. Escriba un número como 06 12 34 56 78.',
    phoneSaved: 'Su número de teléfono está guardado.',
    when: /^\S+, \d{1,2} de \S+ de \d{4} a las \d{2}:\d{2}$/,
    places: '10 plazas libres',
    full: 'Completo',
    joined: 'Está en la lista de espera. Si queda una plaza libre, se la ofreceremos por correo y SMS.',
    staffOnly: 'En este centro, las visitas no se reservan en línea. Para reservar, llame al locutorio del centro o vaya en persona.',
    room: 'Uno de los permisos exige un locutorio especial: locutorio con mampara de separación. Elija un horario en ese locutorio.',
  },
};

/** A family with a permit for a detainee (names outside Latin-1), signed in and reading `language`. */
async function familyIn(language: Language) {
  const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Târgu-Ocna' });
  const setup = await insertBookingSetup({
    establishment,
    family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' },
    detainee: { firstName: 'عائشة', lastName: 'Haddad' },
  });
  const agent = await signInFamily(suite.app.url, setup.family);
  await agent.get(`/langue/${language}?retour=%2Fmon-espace`).expect(303);
  return { ...setup, agent };
}

describe.each(['en', 'ar', 'es'] as const)('a family who reads %s', (language) => {
  const expected = EXPECTED[language];

  it('books a visit after an error, sees it in Mon espace and the agenda, moves it and cancels it, with no French left', async () => {
    const s = await familyIn(language);
    const { agent } = s;

    // The booking page: whom, who comes, the slots of a week; sent without a slot, then with one.
    const form = await getTranslated(agent, '/visites/reserver', language);
    expect(form.heading()).toBe(expected.book);
    expect(form.testId('chosen').find('[lang="fr"]').text()).toBe(s.establishment.name);
    const [slot, later] = form.options('slot');
    expect(slot).toBeDefined();
    // Times on the establishment's clock, as the language writes them (Latin digits in Arabic too), then the places left.
    expect(form.labelOf('slot', slot)).toContain('14:00 – 15:00 · ');
    expect(form.labelOf('slot', slot)).toContain(expected.places);
    const fields = form.formFields('/visites/reserver');
    const none = expectTranslated(await agent.post('/visites/reserver').type('form').send(fields), language, 'booking, no slot', 400);
    expect(none.errors()).toEqual([expected.chooseSlot]);
    const noVisitor = await agent.get(`/visites/reserver?detenu=${s.detainee.id}&etape=creneaux`);
    expect(expectTranslated(noVisitor, language, 'booking, no visitor', 400).errors()).toEqual([expected.chooseWhoComes]);
    const booked = expectAccepted(
      await agent
        .post('/visites/reserver')
        .type('form')
        .send({ ...fields, slot }),
    );
    const reference = /reservee=([A-Z0-9]+)$/.exec(booked)![1];

    // « Mes visites et rendez-vous » with the notice, then « Mon espace »: the visit's card, its time in the language.
    const agenda = await getTranslated(agent, `/mes-rendez-vous?reservee=${reference}`, language);
    expect(agenda.heading()).toBe(expected.agenda);
    expect(agenda.text('booked')).toContain(`${expected.booked} ${reference}`);
    expect(agenda.text('appointment-kind')).toBe(expected.visitTitle);
    expect(agenda.text('appointment-status')).toBe(expected.status);
    expect(agenda.text('appointment-when')).toMatch(expected.when);
    const home = await getTranslated(agent, '/mon-espace', language);
    expect(home.heading()).toBe(expected.space);
    expect(home.texts('appointment-reference')).toEqual([reference]);
    expect(home.text('greeting')).toContain('Łucja Nguyễn-Şahin');

    // Moving: the form, an error, then another slot.
    const movePath = agenda.link(expected.move);
    expect(movePath).toMatch(/^\/visites\/[0-9a-f-]+\/deplacer$/);
    const move = await getTranslated(agent, movePath, language);
    const target = move.options('slot').find((v) => v !== slot) ?? later;
    const noTarget = await agent.post(movePath).type('form').send(move.formFields(movePath));
    expect(expectTranslated(noTarget, language, 'move, no slot', 400).errors()).toEqual([expected.chooseNewSlot]);
    const moved = expectAccepted(
      await agent
        .post(movePath)
        .type('form')
        .send({ ...move.formFields(movePath), slot: target }),
    );
    const afterMove = await getTranslated(agent, moved.replace('/visites?', '/mes-rendez-vous?'), language);
    expect(afterMove.text('moved')).toContain(reference);

    // Cancelling, after its confirmation page.
    const cancelPath = afterMove.link(expected.cancel);
    const confirm = await getTranslated(agent, cancelPath, language);
    expect(confirm.heading().startsWith(expected.cancelTitle)).toBe(true);
    expect(confirm.testId('appointment-summary').find('[lang="fr"]').text()).toBe(s.establishment.name);
    const cancelled = expectAccepted(await agent.post(cancelPath).type('form').send({ _csrf: confirm.csrf() }));
    expect((await getTranslated(agent, cancelled, language)).text('cancelled-notice')).toBe(expected.cancelled);
  });

  it('answers a waiting-list offer, sees a waiting entry, and cancels an interview, with no French left', async () => {
    const s = await familyIn(language);
    const { agent } = s;
    const entry = { establishmentId: s.establishment.id, templateId: s.template.id, familyAccountId: s.family.id };
    const offer = await insertWaitlistEntry({
      ...entry,
      day: dayIn(5),
      startsAt: at(dayIn(5), '14:00'),
      detaineeId: s.detainee.id,
      permitIds: [s.permit.id],
      offerExpiresAt: new Date(Date.now() + 3 * 3_600_000),
    });
    const waiting = await insertWaitlistEntry({
      ...entry,
      day: dayIn(12),
      startsAt: at(dayIn(12), '14:00'),
      detaineeId: s.detainee.id,
      permitIds: [s.permit.id],
    });
    const interview = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      kind: 'SPIP_INTERVIEW',
    });

    const home = await getTranslated(agent, '/mon-espace', language);
    expect(home.has('waitlist-offer')).toBe(true);
    const agenda = await getTranslated(agent, '/mes-rendez-vous', language);
    expect(agenda.texts('waitlist-entry')).toHaveLength(2);
    const offered = await getTranslated(agent, `/visites/liste-attente/${offer.id}`, language);
    expect(offered.text('offer').startsWith(expected.offer)).toBe(true);
    expect((await getTranslated(agent, `/visites/liste-attente/${waiting.id}`, language)).text('waiting')).toContain(expected.waiting);

    const confirm = await getTranslated(agent, `/mes-rendez-vous/${interview.id}/annuler`, language);
    expect(confirm.heading().startsWith(expected.cancelTitle)).toBe(true);
    expectAccepted(await agent.post(`/mes-rendez-vous/${interview.id}/annuler`).type('form').send({ _csrf: confirm.csrf() }));
    // Cancelled already: the page says so, in the language.
    await getTranslated(agent, `/mes-rendez-vous/${interview.id}/annuler`, language);
  });

  it('reads why no slot can be taken with its permit, and where booking is by phone only, in its language', async () => {
    const s = await familyIn(language);
    await setPermitTerms(s.permit.id, { roomCondition: 'SEPARATION' });
    const form = await getTranslated(s.agent, '/visites/reserver', language);
    expect(form.options('slot')).toEqual([]);
    const why = form.texts('slot-day-unavailable');
    expect(why.length).toBeGreaterThan(0);
    expect(new Set(why)).toEqual(new Set([expected.room]));
    // Where visits are booked with the visiting room only, the page says how.
    await setVisitSettings(s.establishment.id, { onlineBooking: false });
    expect((await getTranslated(s.agent, '/visites/reserver', language)).text('staff-only')).toBe(expected.staffOnly);
  });

  it('joins the waiting list of a full slot from the booking page, in its language', async () => {
    const s = await familyIn(language);
    const first = (await getTranslated(s.agent, '/visites/reserver', language)).options('slot')[0];
    const day = first.split('|')[1];
    // Another family takes the only place of that slot.
    await query(`UPDATE slot_templates SET capacity = 1 WHERE id = $1`, [s.template.id]);
    await insertVisit({
      establishmentId: s.establishment.id,
      roomId: s.room.id,
      templateId: s.template.id,
      detaineeId: (await insertDetainee(s.establishment.id)).id,
      startsAt: at(day, '14:00'),
      capacity: 1,
    });
    const form = await getTranslated(s.agent, `/visites/reserver?semaine=${day}`, language);
    expect(form.$(`[data-testid="slot-unavailable"][data-slot="${first}"] [data-testid="slot-reason"]`).text().trim()).toBe(expected.full);
    expect(form.has('waitlist-button')).toBe(true);
    const fields = form.formFields('/visites/reserver');
    const joined = expectAccepted(
      await s.agent
        .post('/visites/reserver')
        .type('form')
        .send({ ...fields, attente: first }),
    );
    const agenda = await getTranslated(s.agent, joined.replace('/visites?', '/mes-rendez-vous?'), language);
    expect(agenda.text('waiting')).toBe(expected.joined);
    expect(agenda.texts('waitlist-entry')).toHaveLength(1);
  });

  it('saves its mobile phone after an invalid number, with no French left', async () => {
    const { agent } = await familyIn(language);
    const form = await getTranslated(agent, '/mon-espace/telephone', language);
    expect(form.heading()).toBe(expected.phone);
    const bad = await agent.post('/mon-espace/telephone').type('form').send({ _csrf: form.csrf(), phone: '12' });
    const refused = expectTranslated(bad, language, 'phone, invalid', 400);
    expect(refused.errors()).toEqual([expected.invalidPhone]);
    expect(refused.fieldError('phone')).toBe(expected.invalidPhone);
    const saved = expectAccepted(
      await agent.post('/mon-espace/telephone').type('form').send({ _csrf: form.csrf(), phone: '06 12 34 56 78' }),
    );
    expect((await getTranslated(agent, saved, language)).text('done')).toBe(expected.phoneSaved);
  });
});
