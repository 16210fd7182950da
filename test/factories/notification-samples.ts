import { termsInLanguages } from '../../src/permits/family-texts';

/**
 * One or more sets of data for each family-facing message template (views/notifications/), covering
 * its branches, as the services queue them: the French fields they have always carried and the raw
 * fields (ISO instants, codes) the other languages are written from. Names outside Latin-1 on purpose.
 */
const RECOURSE = [
  'Vous pouvez contester cette décision de trois façons : par un recours gracieux auprès du chef d’établissement (Centre pénitentiaire de Fresnes) ; ' +
    'par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires (DISP de Paris) ; par un recours contentieux devant le tribunal administratif.',
  // RECOURSE_MENTION (permits/permit.rules.ts)
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
    "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.",
];
const ACK = {
  receivedOn: '24 novembre 2026',
  receivedDay: '2026-11-24',
  implicitRejectionDate: '24 janvier 2027',
  implicitRejectionDay: '2027-01-24',
  department: 'Centre pénitentiaire de Fresnes, 1 allée des Thuyas, 94260 Fresnes, tél. 01 40 00 00 00',
  recourse: RECOURSE,
};
const APPOINTMENT = {
  reference: 'K7Q2M9XA',
  kind: 'VISIT',
  kindLabel: 'visite au parloir',
  startsAt: '2026-12-03T13:30:00.000Z',
  timeZone: 'Europe/Paris',
  when: 'jeudi 3 décembre 2026 à 14 h 30',
  whenShort: '03/12 à 14h30',
  zoneNote: 'heure de Paris',
  place: 'Parloir A',
  address: '1 allée des Thuyas, 94260 Fresnes',
  establishmentName: 'Centre pénitentiaire de Fresnes',
  whatToBring:
    'une pièce d’identité en cours de validité (carte d’identité, passeport, titre de séjour ou permis de conduire) et votre convocation',
  postalAddress: '1 allée des Thuyas, 94260 Fresnes',
  parloirPhone: '01 40 00 00 01',
  parloirHours: 'du lundi au vendredi, 9 h – 12 h',
  infoUrl: 'https://p2v.example/etablissements/fresnes',
  manageUrl: 'https://p2v.example/mes-rendez-vous',
  cancelUrl: 'https://p2v.example/mes-rendez-vous/1/annuler',
  optoutUrl: 'https://p2v.example/stop/AbCdEfGhIjKl',
  qr: null,
};
const STAY = {
  reference: 'UVF-2026-0042',
  kind: 'UVF',
  place: 'unité de vie familiale',
  detainee: 'Karim ĐOÀN',
  establishmentName: 'Centre pénitentiaire de Fresnes',
  zone: 'heure de Paris',
  timeZone: 'Europe/Paris',
  unit: 'UVF 2',
  before: 'samedi 12 décembre 2026 à 09 h 00',
  beforeAt: '2026-12-12T08:00:00.000Z',
  followUrl: '/uvf/demandes/1',
};

export const NOTIFICATION_SAMPLES: Record<string, { channels: ('EMAIL' | 'SMS')[]; data: Record<string, unknown>[] }> = {
  'appointment-confirmation': { channels: ['EMAIL'], data: [APPOINTMENT, { ...APPOINTMENT, qr: 'P2V:K7Q2M9XA' }] },
  'appointment-cancelled': {
    channels: ['EMAIL', 'SMS'],
    data: [
      APPOINTMENT,
      {
        ...APPOINTMENT,
        cancelReason: 'Fermeture exceptionnelle : exercice incendie',
        cancelReasonSms: 'fermeture exceptionnelle',
        cancelCause: 'CLOSURE',
        rebookUrl: 'https://p2v.example/visites/reserver',
      },
    ],
  },
  'appointment-moved': { channels: ['EMAIL'], data: [APPOINTMENT, { ...APPOINTMENT, qr: 'P2V:K7Q2M9XA' }] },
  'appointment-reminder': {
    channels: ['EMAIL', 'SMS'],
    data: [APPOINTMENT, { ...APPOINTMENT, qr: 'P2V:K7Q2M9XA', parloirPhone: null, parloirHours: null }],
  },
  'video-call-booked': {
    channels: ['SMS'],
    data: [{ whenShort: '03/12 à 14h30', startsAt: APPOINTMENT.startsAt, timeZone: 'Europe/Paris' }],
  },
  'video-call-cancelled': {
    channels: ['SMS'],
    data: [{ whenShort: '03/12 à 14h30', startsAt: APPOINTMENT.startsAt, timeZone: 'Europe/Paris' }],
  },
  'video-call-code': {
    channels: ['SMS'],
    data: [{ code: '482913', codeUrl: '/visio/code?appel=7f3c2a10-1b2c-4d5e-8f90-123456789abc', appUrl: 'https://p2v.example' }],
  },
  'waitlist-offer': {
    channels: ['EMAIL', 'SMS'],
    data: [
      {
        when: 'jeudi 3 décembre 2026 à 14 h 30',
        whenShort: '03/12 à 14h30',
        startsAt: APPOINTMENT.startsAt,
        expires: 'mardi 1 décembre 2026 à 18 h 00',
        expiresShort: '01/12 à 18h00',
        expiresAt: '2026-12-01T17:00:00.000Z',
        timeZone: 'Europe/Paris',
        zoneNote: 'heure de Paris',
        place: 'Parloir A',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        detainee: 'Karim ĐOÀN',
        offerUrl: 'https://p2v.example/visites/liste-attente/1',
      },
    ],
  },
  'waitlist-cancelled': {
    channels: ['EMAIL', 'SMS'],
    data: [false, true].map((offered) => ({
      when: 'jeudi 3 décembre 2026 à 14 h 30',
      whenShort: '03/12 à 14h30',
      startsAt: APPOINTMENT.startsAt,
      timeZone: 'America/Cayenne',
      zoneNote: 'heure locale',
      place: 'Parloir A',
      establishmentName: 'Centre pénitentiaire de Rémire-Montjoly',
      detainee: 'Karim ĐOÀN',
      reason: offered ? 'Créneau supprimé' : 'Exercice incendie',
      cause: offered ? 'TEMPLATE' : 'CLOSURE',
      smsReason: offered ? 'changement des horaires de visite' : 'fermeture exceptionnelle',
      offered,
      rebookUrl: 'https://p2v.example/visites/reserver',
    })),
  },
  'permit-request-received': {
    channels: ['EMAIL'],
    data: [
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        detainee: 'Karim ĐOÀN',
        followUrl: '/demandes/1',
        ...ACK,
      },
    ],
  },
  'permit-request-granted': {
    channels: ['EMAIL'],
    data: [
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        followUrl: '/demandes/1',
      },
    ],
  },
  'permit-request-refused': {
    channels: ['EMAIL'],
    data: [
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        followUrl: '/demandes/1',
        motivation: 'Casier judiciaire incompatible',
        ground: 'Maintien du bon ordre et de la sécurité',
        groundCode: 'SECURITY',
        decidedAs: 'Marie Dupont, directrice',
        recourse: RECOURSE,
        letterUrl: '/courriers/1',
      },
    ],
  },
  'permit-request-incomplete': {
    channels: ['EMAIL'],
    data: [
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        followUrl: '/demandes/1',
        message: 'Photo floue',
        missing: ['Photo d’identité récente', 'Justificatif du lien'],
        missingKinds: ['PHOTO', 'LIVRET_FAMILLE'],
        due: '24/12/2026',
        dueDay: '2026-12-24',
        restart: 'Le délai de deux mois dont dispose l’établissement pour décider repart de la réception des pièces.',
      },
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        followUrl: '/demandes/1',
        message: '',
        missing: [],
        due: null,
        restart: null,
      },
    ],
  },
  'permit-request-implicit-rejection': {
    channels: ['EMAIL'],
    data: [
      {
        reference: 'PV-2026-0117',
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        followUrl: '/demandes/1',
        recourse: RECOURSE,
      },
    ],
  },
  'permit-linked': {
    channels: ['EMAIL'],
    data: [{ visitor: 'Łucja Nguyễn-Şahin', detainee: 'Karim ĐOÀN', establishmentName: 'Centre pénitentiaire de Fresnes' }],
  },
  'permit-status-changed': {
    channels: ['EMAIL'],
    data: ['ACTIVE', 'SUSPENDED', 'WITHDRAWN'].map((status) => ({
      establishmentName: 'Centre pénitentiaire de Fresnes',
      visitor: 'Łucja Nguyễn-Şahin',
      status,
      reason: status === 'ACTIVE' ? '' : 'Incident au parloir le 2 novembre',
      signedBy: status === 'ACTIVE' ? undefined : 'Marie Dupont, directrice',
      letterUrl: status === 'ACTIVE' ? undefined : '/courriers/2',
      recourse: status === 'ACTIVE' ? undefined : RECOURSE,
    })),
  },
  'permit-conditions-changed': {
    channels: ['EMAIL'],
    data: [
      {
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        limits: 'valable jusqu’au 31/12/2027',
        limitsOf: { validTo: '2027-12-31', maxVisits: null, visitsUsed: 0 },
        conditions: ['le lundi et le mercredi', 'de 09 h 00 à 12 h 00'],
        termsIn: termsInLanguages(
          { validTo: '2027-12-31', maxVisits: null, visitsUsed: 0 },
          { roomCondition: null, allowedDays: [1, 3], allowedFrom: '09:00', allowedTo: '12:00', conditionsNote: null },
        ),
        magistrateDecision: null,
        signedBy: 'Marie Dupont, directrice',
        letterUrl: '/courriers/3',
        recourse: RECOURSE,
      },
      {
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        limits: 'permanent',
        limitsOf: { validTo: null, maxVisits: null, visitsUsed: 0 },
        conditions: [],
        termsIn: termsInLanguages(
          { validTo: null, maxVisits: 3, visitsUsed: 1 },
          { roomCondition: null, allowedDays: null, allowedFrom: null, allowedTo: null, conditionsNote: 'Parloir familial exclu' },
        ),
        magistrateDecision: 'ordonnance du 2 novembre 2026',
        signedBy: null,
        letterUrl: null,
        recourse: [],
      },
    ],
  },
  'permit-measure-proposed': {
    channels: ['EMAIL'],
    data: [true, false].map((withdrawal) => ({
      establishmentName: 'Centre pénitentiaire de Fresnes',
      visitor: 'Łucja Nguyễn-Şahin',
      withdrawal,
      grounds: 'Incident au parloir le 2 novembre',
      due: '08/12/2026',
      dueDay: '2026-12-08',
      answerUrl: '/permis/1/observations',
    })),
  },
  'permit-measure-abandoned': {
    channels: ['EMAIL'],
    data: [{ establishmentName: 'Centre pénitentiaire de Fresnes', visitor: 'Łucja Nguyễn-Şahin' }],
  },
  'permit-on-hold': {
    channels: ['EMAIL'],
    data: [
      {
        establishmentName: 'Centre pénitentiaire de Fresnes',
        visitor: 'Łucja Nguyễn-Şahin',
        magistrate: 'Juge d’instruction, TJ de Créteil',
      },
    ],
  },
  'permit-magistrate-answer': {
    channels: ['EMAIL'],
    data: ['ACTIVE', 'SUSPENDED', 'WITHDRAWN'].map((status) => ({
      establishmentName: 'Centre pénitentiaire de Fresnes',
      visitor: 'Łucja Nguyễn-Şahin',
      status,
      magistrate: 'Juge d’instruction, TJ de Créteil',
      note: status === 'SUSPENDED' ? 'Jusqu’à la fin de l’instruction' : '',
    })),
  },
  'family-visit-request-received': {
    channels: ['EMAIL'],
    data: [false, true].map((magistrate) => ({
      reference: 'UVF-2026-0042',
      kind: 'UVF',
      kindLabel: 'visite en unité de vie familiale (UVF)',
      detainee: 'Karim ĐOÀN',
      establishmentName: 'Centre pénitentiaire de Fresnes',
      visitors: ['Łucja Nguyễn-Şahin', 'عائشة Benali'],
      followUrl: '/uvf',
      receivedOn: '24 novembre 2026',
      receivedDay: '2026-11-24',
      magistrate,
      implicitRejectionDate: magistrate ? null : '24 janvier 2027',
      implicitRejectionDay: magistrate ? null : '2027-01-24',
      department: ACK.department,
      recourse: magistrate ? null : RECOURSE,
    })),
  },
  'family-visit-request-withdrawn': {
    channels: ['EMAIL'],
    data: [true, false].map((byFamily) => ({
      reference: 'PF-2026-0007',
      kind: 'PF',
      kindLabel: 'visite en parloir familial',
      visitor: 'Łucja Nguyễn-Şahin',
      detainee: 'Karim ĐOÀN',
      establishmentName: 'Centre pénitentiaire de Fresnes',
      withdrawnOn: '3 décembre 2026',
      withdrawnDay: '2026-12-03',
      byFamily,
      caseClosed: !byFamily,
      followUrl: '/uvf/demandes/1',
    })),
  },
  'family-visit-decision': {
    channels: ['EMAIL'],
    data: (
      [
        ['accordée pour 24 heures', { code: 'GRANTED', hours: 24, slots: 1, magistrateDay: null }],
        [
          'accordée pour 6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement) dans le cadre de l’autorisation du magistrat du 2 novembre 2026',
          { code: 'GRANTED', hours: 6, slots: 2, magistrateDay: '2026-11-02' },
        ],
        ['refusée', { code: 'REFUSED' }],
        ['refusée, car la demande de la personne détenue l’a été', { code: 'DETAINEE_REFUSED' }],
        ['rejetée faute de décision dans les deux mois', { code: 'IMPLICITLY_REJECTED' }],
        ['autorisée par le magistrat (autorisation temporaire)', { code: 'MAGISTRATE_GRANTED', answer: 'TEMPORARY' }],
        ['refusée par le magistrat', { code: 'MAGISTRATE_REFUSED' }],
      ] as const
    ).map(([outcome, outcomeOf]) => ({
      reference: 'UVF-2026-0042',
      kind: 'UVF',
      kindLabel: 'visite en unité de vie familiale (UVF)',
      detainee: 'Karim ĐOÀN',
      establishmentName: 'Centre pénitentiaire de Fresnes',
      visitor: 'Łucja Nguyễn-Şahin',
      outcome,
      outcomeOf,
      followUrl: '/uvf/demandes/1',
    })),
  },
  'family-visit-stay-moved': {
    channels: ['EMAIL', 'SMS'],
    data: [false, true].map((pause) => ({
      ...STAY,
      from: 'samedi 19 décembre 2026 à 09 h 00',
      to: pause ? 'samedi 19 décembre 2026 à 16 h 30' : 'dimanche 20 décembre 2026 à 09 h 00',
      fromAt: '2026-12-19T08:00:00.000Z',
      toAt: pause ? '2026-12-19T15:30:00.000Z' : '2026-12-20T08:00:00.000Z',
      breakFrom: pause ? '12 h 00' : null,
      breakTo: pause ? '13 h 30' : null,
      breakFromAt: pause ? '2026-12-19T11:00:00.000Z' : null,
      breakToAt: pause ? '2026-12-19T12:30:00.000Z' : null,
      when: pause ? 'le 19/12 de 09h00 à 12h00 puis de 13h30 à 16h30' : 'du 19/12 à 09h00 au 20/12 à 09h00',
      change: 'MOVED',
      followUrl: '/uvf/sejours/1',
    })),
  },
  'family-visit-stay-cancelled': {
    channels: ['EMAIL', 'SMS'],
    data: [true, false].map((rebook) => ({
      ...STAY,
      reason: 'Travaux dans le logement',
      rebook,
      when: '12/12 à 09h00',
      change: 'CANCELLED',
    })),
  },
};
