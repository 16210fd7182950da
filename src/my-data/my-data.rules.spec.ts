import type { AccountRow, PendingRow } from './my-data.queries';
import {
  buildExport,
  closureBlockers,
  dayLabel,
  isoParis,
  parisDateTime,
  pdfSections,
  permitStateOn,
  type FamilyData,
} from './my-data.rules';

const NOW = new Date('2026-12-01T09:00:00Z');
const at = (iso: string) => new Date(iso);

function account(o: Partial<AccountRow> = {}): AccountRow {
  return {
    id: 'f1',
    givenName: 'Łukasz',
    familyName: 'Nguyễn',
    birthdate: '1985-03-14',
    email: 'lukasz@example.fr',
    mobilePhone: '+33612345678',
    createdAt: at('2026-01-10T10:00:00Z'),
    lastSignInAt: at('2026-11-30T18:15:00Z'),
    closedAt: null,
    ...o,
  };
}

function data(o: Partial<FamilyData> = {}): FamilyData {
  return {
    account: account(),
    preferences: [],
    permitRequests: [],
    requestDocuments: [],
    requestEvents: [],
    permits: [],
    measures: [],
    letters: [],
    visits: [],
    visitors: [],
    waitlist: [],
    familyVisitRequests: [],
    familyVisitDocuments: [],
    familyVisitEvents: [],
    interviews: [],
    stays: [],
    appointments: [],
    messages: [],
    connections: [],
    counters: { lookupFailures: 0, claimFailures: 0 },
    ...o,
  };
}

describe('dates of « Mes données »', () => {
  it('says instants on the clock of Paris, winter and summer, whatever the server’s zone', () => {
    expect(parisDateTime(at('2026-12-12T13:00:00Z'))).toBe('12 décembre 2026 à 14 h 00');
    expect(parisDateTime(at('2026-07-01T22:30:00Z'))).toBe('2 juillet 2026 à 00 h 30');
    expect(isoParis(at('2026-12-12T13:00:00Z'))).toBe('2026-12-12T14:00:00+01:00');
    expect(isoParis(at('2026-07-01T22:30:00Z'))).toBe('2026-07-02T00:30:00+02:00');
    expect(isoParis(null)).toBeNull();
    expect(dayLabel(at('2026-12-12T23:30:00Z'))).toBe('13 décembre 2026');
    expect(dayLabel(at('2026-12-12T23:30:00Z'), 'America/Cayenne')).toBe('12 décembre 2026');
  });
});

describe('the export of a family’s data', () => {
  it('lists each request with its documents (kind, name, date: never a file) and the history the family reads', () => {
    const e = buildExport(
      data({
        permitRequests: [
          {
            id: 'r1',
            reference: 'PV-12345678',
            status: 'REFUSED',
            establishmentName: 'Centre pénitentiaire de Łódź',
            detaineeName: 'محمد Haddad',
            forSelf: true,
            visitorGivenName: 'Łukasz',
            visitorFamilyName: 'Nguyễn',
            visitorBirthdate: '1985-03-14',
            relationship: 'SIBLING',
            relationshipDetail: null,
            idDocumentType: 'TITRE_SEJOUR',
            comment: null,
            createdAt: at('2026-10-01T08:00:00Z'),
            submittedAt: at('2026-10-01T09:00:00Z'),
            completeAt: at('2026-10-01T09:00:00Z'),
            documentsDue: null,
            decidedAt: at('2026-11-02T10:00:00Z'),
            decisionMotivation: 'Motif de refus assez long pour être valable.',
            withdrawnAt: null,
          },
        ],
        requestDocuments: [
          {
            requestId: 'r1',
            kind: 'ID_DOCUMENT',
            originalName: 'titre-séjour.pdf',
            receivedAt: at('2026-10-01T08:30:00Z'),
            review: 'ACCEPTED',
            current: true,
            deletedAt: null,
          },
        ],
        requestEvents: [{ requestId: 'r1', at: at('2026-11-02T10:00:00Z'), status: 'REFUSED', message: null }],
      }),
      NOW,
    );
    const [r] = e.permitRequests;
    expect(r).toMatchObject({
      reference: 'PV-12345678',
      statusLabel: 'Refusée',
      relationship: 'Frère ou sœur',
      identityDocumentType: 'Titre de séjour',
      decidedAt: '2026-11-02T11:00:00+01:00',
    });
    expect(r.documents).toEqual([
      {
        kind: 'ID_DOCUMENT',
        kindLabel: 'Pièce d’identité',
        name: 'titre-séjour.pdf',
        receivedAt: '2026-10-01T10:30:00+02:00',
        review: 'Accepté',
        replaced: false,
        deletedAt: null,
      },
    ]);
    expect(r.history).toEqual([{ at: '2026-11-02T11:00:00+01:00', status: 'REFUSED', statusLabel: 'Refusée', message: null }]);
    expect(JSON.stringify(e)).not.toContain('r1');
  });

  it('says a permit’s state on the day: not yet valid, valid, expired, or its status', () => {
    const p = { status: 'ACTIVE', validFrom: '2026-12-05', validTo: '2027-01-31' };
    expect(permitStateOn(p, '2026-12-01')).toBe('NOT_YET_VALID');
    expect(permitStateOn(p, '2027-01-31')).toBe('ACTIVE');
    expect(permitStateOn(p, '2027-02-01')).toBe('EXPIRED');
    expect(permitStateOn({ ...p, status: 'SUSPENDED' }, '2026-12-10')).toBe('SUSPENDED');
  });

  it('gives an SMS its text (it has no subject) and an e-mail its subject only', () => {
    const e = buildExport(
      data({
        messages: [
          {
            channel: 'EMAIL',
            address: 'lukasz@example.fr',
            subject: 'Votre demande',
            bodyText: 'Long texte',
            createdAt: NOW,
            sentAt: NOW,
            status: 'SENT',
          },
          {
            channel: 'SMS',
            address: '+33612345678',
            subject: null,
            bodyText: 'Rappel : visite',
            createdAt: NOW,
            sentAt: null,
            status: 'DROPPED',
          },
        ],
      }),
      NOW,
    );
    expect(e.messages.map((m) => [m.channelLabel, m.subject, m.text, m.statusLabel])).toEqual([
      ['Courriel', 'Votre demande', null, 'Envoyé'],
      ['SMS', null, 'Rappel : visite', 'Non envoyé (devenu inutile)'],
    ]);
  });

  it('makes the PDF’s sections from the export, in French, a sentence for each empty one', () => {
    const sections = pdfSections(buildExport(data(), NOW));
    expect(sections.map((s) => s.heading)).toEqual([
      'Mon compte',
      'Mes demandes de permis de visite',
      'Mes permis de visite',
      'Mes courriers',
      'Mes visites au parloir',
      'Mes inscriptions sur liste d’attente',
      'Mes demandes d’UVF et de parloir familial',
      'Mes séjours en UVF et parloir familial',
      'Mes rendez-vous (convocations, entretiens, visiophonie)',
      'Les messages que P2V m’a envoyés',
      'Mes connexions et téléchargements',
      'Ce que ce document ne contient pas',
    ]);
    expect(sections[0].blocks[0].lines).toEqual(
      expect.arrayContaining([
        'Date de naissance : 14 mars 1985',
        'Téléphone portable : +33612345678',
        'Dernière connexion : 30 novembre 2026 à 19 h 15',
      ]),
    );
    expect(sections[4]).toMatchObject({ blocks: [], empty: 'Aucune visite.' });
  });
});

describe('closing an account', () => {
  const tz = 'Europe/Paris';

  it('may close when nothing is pending', () => {
    expect(closureBlockers([])).toEqual([]);
  });

  it('says of each pending procedure what it is, when closing becomes possible, and where to act', () => {
    const pending: PendingRow[] = [
      { kind: 'PERMIT_REQUEST', id: 'r0', reference: null, status: 'DRAFT', at: at('2026-11-03T10:00:00Z'), detaineeName: null },
      { kind: 'PERMIT_REQUEST', id: 'r1', reference: 'PV-AB12CD34', status: 'SUBMITTED', at: NOW, detaineeName: 'Ştefan Ionescu' },
      {
        kind: 'VISIT',
        id: 'v1',
        reference: 'K7M2Q9XA',
        at: at('2026-12-12T13:00:00Z'),
        endsAt: at('2026-12-12T14:00:00Z'),
        detaineeName: 'Ştefan Ionescu',
        timeZone: tz,
      },
      {
        kind: 'WAITLIST',
        id: 'w1',
        reference: null,
        status: 'WAITING',
        at: at('2026-12-19T13:00:00Z'),
        detaineeName: 'Ştefan Ionescu',
        timeZone: tz,
      },
      { kind: 'FAMILY_VISIT_REQUEST', id: 'u1', reference: 'U-1234', visitKind: 'UVF', status: 'RECEIVED', at: NOW },
      { kind: 'STAY', id: 's1', visitKind: 'PF', at: at('2027-01-09T09:00:00Z'), endsAt: at('2027-01-09T15:00:00Z'), timeZone: tz },
      {
        kind: 'APPOINTMENT',
        id: 'a1',
        appointmentKind: 'VIDEO_CALL',
        at: at('2026-12-15T07:30:00Z'),
        endsAt: at('2026-12-15T08:15:00Z'),
        timeZone: tz,
      },
      {
        kind: 'PERMIT_MEASURE',
        id: 'm1',
        permitId: 'p1',
        measureKind: 'SUSPENSION',
        status: 'PROPOSED',
        at: NOW,
        detaineeName: 'Ştefan Ionescu',
      },
    ];
    const blockers = closureBlockers(pending);
    expect(blockers.map((b) => [b.what, b.when])).toEqual([
      ['Vous avez commencé une demande de permis le 3 novembre 2026 sans l’envoyer.', 'Envoyez-la ou supprimez-la, puis revenez ici.'],
      [
        'Votre demande de permis PV-AB12CD34 pour visiter Ştefan Ionescu est en cours d’examen.',
        'Vous pourrez fermer votre compte quand la demande PV-AB12CD34 aura reçu une réponse, ou si vous la retirez.',
      ],
      [
        'Vous avez une visite réservée le samedi 12 décembre 2026 à 14 h 00 avec Ştefan Ionescu (référence K7M2Q9XA).',
        'Vous pourrez fermer votre compte après votre visite du 12 décembre 2026, ou si vous l’annulez.',
      ],
      [
        'Vous êtes sur la liste d’attente pour une visite le samedi 19 décembre 2026 à 14 h 00 avec Ştefan Ionescu.',
        'Vous pourrez fermer votre compte après le 19 décembre 2026, ou si vous quittez la liste d’attente.',
      ],
      [
        'Votre demande de visite en unité de vie familiale (UVF) (dossier U-1234) est en cours d’examen.',
        'Vous pourrez fermer votre compte quand la demande du dossier U-1234 aura reçu une réponse, ou si vous la retirez.',
      ],
      [
        'Vous avez un séjour en parloir familial le samedi 9 janvier 2027 à 10 h 00.',
        'Vous pourrez fermer votre compte après ce séjour, à partir du 9 janvier 2027.',
      ],
      [
        'Vous avez un appel en visiophonie le mardi 15 décembre 2026 à 08 h 30.',
        'Vous pourrez fermer votre compte après cet appel, le 15 décembre 2026, ou si vous l’annulez.',
      ],
      [
        'L’établissement envisage de suspendre votre permis pour visiter Ştefan Ionescu : vous pouvez présenter vos observations.',
        'Vous pourrez fermer votre compte quand la décision sur ce permis aura été prise.',
      ],
    ]);
    expect(blockers.map((b) => b.link.href)).toEqual([
      '/demandes/r0',
      '/demandes/r1',
      '/mes-rendez-vous',
      '/visites/liste-attente/w1',
      '/uvf/demandes/u1',
      '/uvf/sejours/s1',
      '/mes-rendez-vous',
      '/permis',
    ]);
  });

  it('says a visit’s day on its establishment’s clock (overseas: local time)', () => {
    const [b] = closureBlockers([
      {
        kind: 'VISIT',
        id: 'v1',
        reference: 'K7M2Q9XA',
        at: at('2026-12-13T01:00:00Z'),
        endsAt: at('2026-12-13T02:00:00Z'),
        detaineeName: 'Ana Silva',
        timeZone: 'America/Cayenne',
      },
    ]);
    expect(b.when).toBe('Vous pourrez fermer votre compte après votre visite du 12 décembre 2026, ou si vous l’annulez.');
  });
});
