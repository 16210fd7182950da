import {
  ExistingDetainee,
  identityKey,
  isMassRelease,
  massReleaseMessage,
  parseGenesisCsv,
  planImport,
  previewOf,
} from './detainee-import.rules';

const HEADER = 'numero_ecrou;nom;prenom;date_naissance;categorie_penale';
const TODAY = '2026-11-22';

describe('parseGenesisCsv', () => {
  it('reads a valid export (BOM, French dates, accents, both statuses)', () => {
    const { records, errors } = parseGenesisCsv(
      `\uFEFF${HEADER}\n12345;Dupont;Éric;01/02/1980;Condamné\n12346;Durand;Ana;1990-12-31;prevenue\n`,
      TODAY,
    );
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 2, ecrouNumber: '12345', lastName: 'Dupont', firstName: 'Éric', birthDate: '1980-02-01', legalStatus: 'CONDAMNE' },
      { line: 3, ecrouNumber: '12346', lastName: 'Durand', firstName: 'Ana', birthDate: '1990-12-31', legalStatus: 'PREVENU' },
    ]);
  });

  it('reports every bad line with its number and reason', () => {
    const csv = [
      HEADER,
      '1;A;B;31/02/1980;CONDAMNE',
      ';A;B;01/01/1980;CONDAMNE',
      '3;A;B;01/01/1980;libre',
      '4;A;B;01/01/2030;PREVENU',
      '5;A;B;01/01/1980;PREVENU',
      '5;C;D;01/01/1981;PREVENU',
    ].join('\n');
    const { records, errors } = parseGenesisCsv(csv, TODAY);
    expect(records.map((r) => r.line)).toEqual([6]);
    expect(errors).toEqual([
      { line: 2, message: expect.stringContaining('date de naissance invalide') as string },
      { line: 3, message: expect.stringContaining('numéro d’écrou manquant') as string },
      { line: 4, message: expect.stringContaining('catégorie pénale inconnue « libre »') as string },
      { line: 5, message: expect.stringContaining('date de naissance impossible') as string },
      { line: 7, message: 'numéro d’écrou 5 déjà présent ligne 6' },
    ]);
  });

  it('refuses a file without the expected header or without any line', () => {
    expect(parseGenesisCsv('ecrou;nom\n1;A', TODAY).errors[0]).toEqual({
      line: 1,
      message: expect.stringContaining('Colonnes manquantes') as string,
    });
    expect(parseGenesisCsv(`${HEADER}\n`, TODAY).errors[0].message).toBe('Le fichier ne contient aucune personne détenue');
  });
});

describe('planImport', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const d = (over: Partial<ExistingDetainee>): ExistingDetainee => ({
    id: 'x',
    establishmentId: 'A',
    ecrouNumber: '1',
    lastName: 'Dupont',
    firstName: 'Eric',
    birthDate: '1980-02-01',
    legalStatus: 'CONDAMNE',
    custodyStatus: 'PRESENT',
    leftAt: null,
    ...over,
  });
  const rec = (
    over: Partial<{ ecrouNumber: string; lastName: string; firstName: string; birthDate: string; legalStatus: 'PREVENU' | 'CONDAMNE' }>,
  ) => ({
    line: 2,
    ecrouNumber: '1',
    lastName: 'Dupont',
    firstName: 'Eric',
    birthDate: '1980-02-01',
    legalStatus: 'CONDAMNE' as const,
    ...over,
  });

  it('upserts by écrou: unchanged, updated (new status), created', () => {
    const plan = planImport(
      [rec({}), rec({ ecrouNumber: '2', lastName: 'Martin', legalStatus: 'PREVENU' }), rec({ ecrouNumber: '3', lastName: 'Neuf' })],
      [d({ id: 'a' }), d({ id: 'b', ecrouNumber: '2', lastName: 'Martin' })],
      [],
      now,
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.updates.map((u) => [u.id, u.record.legalStatus])).toEqual([['b', 'PREVENU']]);
    expect(plan.creates.map((c) => c.ecrouNumber)).toEqual(['3']);
    expect(plan.releases).toEqual([]);
  });

  it('releases those present here but absent from the file', () => {
    const plan = planImport(
      [rec({})],
      [d({ id: 'a' }), d({ id: 'gone', ecrouNumber: '9' }), d({ id: 'old', ecrouNumber: '8', custodyStatus: 'LIBERE', leftAt: now })],
      [],
      now,
    );
    expect(plan.releases.map((r) => r.id)).toEqual(['gone']);
  });

  it('detects a transfer in: same person present elsewhere, or left elsewhere within 30 days, accent and case insensitive', () => {
    const elsewhere = [
      d({ id: 'present-b', establishmentId: 'B', ecrouNumber: '77', lastName: 'DUPONT', firstName: 'Éric' }),
      d({
        id: 'left-c',
        establishmentId: 'C',
        ecrouNumber: '88',
        lastName: 'Roy',
        custodyStatus: 'LIBERE',
        leftAt: new Date('2026-11-01T00:00:00Z'),
      }),
      d({
        id: 'long-ago',
        establishmentId: 'C',
        ecrouNumber: '89',
        lastName: 'Vieux',
        custodyStatus: 'LIBERE',
        leftAt: new Date('2026-01-01T00:00:00Z'),
      }),
    ];
    const plan = planImport(
      [rec({ ecrouNumber: '5' }), rec({ ecrouNumber: '6', lastName: 'Roy' }), rec({ ecrouNumber: '7', lastName: 'Vieux' })],
      [],
      elsewhere,
      now,
    );
    expect(plan.creates).toHaveLength(3);
    expect(plan.transferProposals.map((t) => [t.from.id, t.record.ecrouNumber])).toEqual([
      ['present-b', '5'],
      ['left-c', '6'],
    ]);
  });

  it('changes only the importing establishment: a person found elsewhere becomes a proposal, never an update or a release', () => {
    const elsewhere = [
      d({ id: 'b-same-ecrou', establishmentId: 'B', ecrouNumber: '1' }),
      d({ id: 'b-other', establishmentId: 'B', ecrouNumber: '2', lastName: 'Absent' }),
    ];
    const plan = planImport([rec({ ecrouNumber: '1' })], [], elsewhere, now);
    expect(plan.creates.map((c) => c.ecrouNumber)).toEqual(['1']);
    expect(plan.updates).toEqual([]);
    expect(plan.releases).toEqual([]);
    expect(plan.transferProposals.map((t) => [t.from.id, t.record.ecrouNumber])).toEqual([['b-same-ecrou', '1']]);
  });

  it('proposes no transfer for a person already known here under their écrou', () => {
    const plan = planImport([rec({})], [d({ id: 'here' })], [d({ id: 'there', establishmentId: 'B', ecrouNumber: '77' })], now);
    expect(plan.unchanged).toBe(1);
    expect(plan.transferProposals).toEqual([]);
  });

  it('matches identities without accents or case', () => {
    expect(identityKey({ lastName: "N'Diaye-Lé", firstName: 'élodie', birthDate: '2000-01-01' })).toBe(
      identityKey({ lastName: 'N DIAYE LE', firstName: 'Elodie', birthDate: '2000-01-01' }),
    );
  });

  it('previews arrivals, releases (transfers out among them), status changes, and flags a release of more than the share set', () => {
    const here = [
      d({ id: 'a', ecrouNumber: '1' }),
      d({ id: 'b', ecrouNumber: '2', lastName: 'Martin', legalStatus: 'PREVENU' }),
      d({ id: 'c', ecrouNumber: '3', lastName: 'Nowak' }),
      d({ id: 'gone', ecrouNumber: '9', custodyStatus: 'LIBERE', leftAt: new Date('2026-10-01T00:00:00Z') }),
    ];
    const elsewhere = [d({ id: 'other', establishmentId: 'B', ecrouNumber: '77', lastName: 'Wiśniewski', firstName: 'Łukasz' })];
    const plan = planImport(
      [
        rec({}),
        rec({ ecrouNumber: '2', lastName: 'Martin', legalStatus: 'CONDAMNE' }),
        rec({ ecrouNumber: '4', lastName: 'Wiśniewski', firstName: 'Łukasz' }),
        rec({ ecrouNumber: '5', lastName: 'Neuf' }),
      ],
      here,
      elsewhere,
      now,
    );
    // Nobody says here that Łukasz seems to come from another establishment; Nowak's transfer out was detected by another establishment.
    expect(previewOf(plan, here, new Set(), 10).transfers).toBe(0);
    const preview = previewOf(plan, here, new Set(['c']), 10);
    expect(preview).toEqual({
      arrivals: 2,
      releases: 1,
      transfers: 1,
      statusChanges: 1,
      otherUpdates: 0,
      unchanged: 1,
      population: 3,
      releasePercent: 33,
      massRelease: true,
    });
    expect(massReleaseMessage(preview, 10)).toBe(
      'Ce fichier ferait sortir 1 personne sur 3 présentes (33 %, plus de 10 %) : l’export est peut-être tronqué ou d’un autre ' +
        'établissement. Vérifiez le fichier ; s’il est juste, cochez la case pour confirmer ces sorties.',
    );
    // The share is a limit: 10 of 100 is not above 10 %, 11 is; an empty establishment releases nobody.
    expect(isMassRelease(10, 100, 10)).toBe(false);
    expect(isMassRelease(11, 100, 10)).toBe(true);
    expect(isMassRelease(0, 0, 10)).toBe(false);
    expect(isMassRelease(30, 100, 50)).toBe(false);
  });
});

describe('the optional building / cell column', () => {
  const base = {
    id: 'a',
    establishmentId: 'e',
    ecrouNumber: '1',
    lastName: 'Dupont',
    firstName: 'Éric',
    birthDate: '1980-02-01',
    legalStatus: 'CONDAMNE' as const,
    custodyStatus: 'PRESENT' as const,
    leftAt: null,
  };

  it('reads a mixed status (prévenu in one case, condamné in another) in its usual spellings', () => {
    const { records, errors } = parseGenesisCsv(
      `${HEADER}\n1;Dupont;Éric;01/02/1980;MIXTE\n2;Durand;Ana;01/01/1990;PREVENU_CONDAMNE\n3;Łukasz;Ola;01/01/1991;Prévenu et condamné\n`,
      TODAY,
    );
    expect(errors).toEqual([]);
    expect(records.map((r) => r.legalStatus)).toEqual(['MIXTE', 'MIXTE', 'MIXTE']);
  });

  it('reads `cellule` when present, empty as unknown, and leaves it undefined when the column is absent', () => {
    const withCell = parseGenesisCsv(
      `${HEADER};cellule\n1;Dupont;Éric;01/02/1980;CONDAMNE;A-112\n2;Durand;Ana;01/01/1990;PREVENU;\n`,
      TODAY,
    ).records;
    expect(withCell.map((r) => r.housing)).toEqual(['A-112', null]);
    expect(parseGenesisCsv(`${HEADER}\n1;Dupont;Éric;01/02/1980;CONDAMNE\n`, TODAY).records[0]).not.toHaveProperty('housing');
  });

  it('updates a detainee whose cell changed, and keeps the known cell when the file has none', () => {
    const [moved] = parseGenesisCsv(`${HEADER};cellule\n1;Dupont;Éric;01/02/1980;CONDAMNE;B-201\n`, TODAY).records;
    expect(planImport([moved], [{ ...base, housing: 'A-112' }], [], new Date()).updates).toHaveLength(1);
    const [noColumn] = parseGenesisCsv(`${HEADER}\n1;Dupont;Éric;01/02/1980;CONDAMNE\n`, TODAY).records;
    expect(planImport([noColumn], [{ ...base, housing: 'A-112' }], [], new Date()).unchanged).toBe(1);
  });
});
