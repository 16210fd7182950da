import { zipSync } from 'fflate';
import {
  assignPhotos,
  checkAgainst,
  hasControlCharacter,
  nameKey,
  NO_CONTACT_IMPORT_REASON,
  parsePermitCsv,
  photoKey,
  previewOrder,
  visitorKey,
} from './permit-import.rules';
import { listZip, ZipError } from './permit-import.zip';

const TODAY = '2026-11-23';
const HEADER =
  'ligne;nom;prenom;date_naissance;numero_ecrou;lien;origine;valable_du;valable_au;nombre_visites;condition_salle;autorite;reference_papier';

function parse(...rows: string[]) {
  const r = parsePermitCsv([HEADER, ...rows].join('\n'), TODAY);
  if (r.fileError !== null) throw new Error(r.fileError);
  return r.lines;
}

describe('bulk import of paper permits: the CSV lines', () => {
  it('reads a full line, with a BOM, a comma separator and the French labels', () => {
    const text =
      '\uFEFF' +
      HEADER.replace(/;/g, ',') +
      '\n12,Wałęsa,Łucja,14/03/1988,a123,Époux ou épouse,papier,01/01/2026,31/12/2027,6,séparation,Greffe,P-12\n';
    const r = parsePermitCsv(text, TODAY);
    expect(r.fileError).toBeNull();
    expect(r.lines[0]).toMatchObject({
      line: 2,
      number: 12,
      familyName: 'Wałęsa',
      givenName: 'Łucja',
      birthdate: '1988-03-14',
      ecrou: 'A123',
      relationship: 'SPOUSE',
      origin: 'PAPER',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      maxVisits: 6,
      roomCondition: 'SEPARATION',
      issuingAuthority: 'Greffe',
      paperReference: 'P-12',
      reasons: [],
    });
  });

  it('accepts the codes and leaves the optional columns empty', () => {
    const [l] = parse('1;بن علي;أمينة;01/02/1990;10001;SIBLING;MAGISTRAT;01/01/2026;;;;;');
    expect(l).toMatchObject({
      relationship: 'SIBLING',
      origin: 'MAGISTRATE',
      validTo: null,
      maxVisits: null,
      roomCondition: null,
      reasons: [],
    });
    expect(l.familyName).toBe('بن علي');
  });

  it('gives each wrong value its reason in French', () => {
    const [l] = parse('x;;Ana;31/02/1990;?;cousin;PAPYRUS;hier;2020-01-01;0;cave;;');
    expect(l.reasons).toEqual([
      'numéro de ligne manquant ou invalide « x » (un nombre entier)',
      'nom ou prénom du visiteur manquant',
      'date de naissance invalide « 31/02/1990 » (attendu JJ/MM/AAAA)',
      'numéro d’écrou manquant ou invalide « ? »',
      'lien inconnu « cousin » (voir la liste des liens)',
      'origine invalide « PAPYRUS » (PAPIER ou MAGISTRAT)',
      'date de début invalide « hier » (attendu JJ/MM/AAAA)',
      'permis déjà expiré : il n’est pas repris',
      'nombre de visites invalide « 0 » (un nombre entier, ou vide)',
      'condition de salle invalide « cave » (SEPARATION, ACCESSIBLE, ou vide)',
    ]);
  });

  it('refuses a birth date in the future and an end before the start', () => {
    const [l] = parse('1;Nguyễn;Lan;01/01/2030;10001;FRIEND;PAPIER;01/06/2027;01/01/2027;;;;');
    expect(l.reasons).toContain('date de naissance invalide « 01/01/2030 » (attendu JJ/MM/AAAA)');
    expect(l.reasons).toContain('la date de fin précède la date de début');
  });

  it('finds duplicates within the file: the same visitor for the same detainee (names folded), the same number or reference', () => {
    const lines = parse(
      '1;Nguyễn-Şahin;Łucja;14/03/1988;10001;FRIEND;PAPIER;01/01/2026;;;;;R1',
      '2;NGUYEN SAHIN;łucja;1988-03-14;10001;FRIEND;PAPIER;01/01/2026;;;;;R2',
      '1;Autre;Personne;14/03/1988;10001;FRIEND;PAPIER;01/01/2026;;;;;r1',
    );
    expect(lines[0].reasons).toEqual([]);
    expect(lines[1].reasons).toEqual(['doublon : même visiteur et même personne détenue qu’à la ligne 2']);
    expect(lines[2].reasons).toEqual(['numéro de ligne 1 déjà utilisé à la ligne 2', 'référence papier « r1 » déjà utilisée à la ligne 2']);
  });

  it('refuses a file without the required columns, empty, or not CSV', () => {
    expect(parsePermitCsv('nom;prenom\nA;B', TODAY).fileError).toMatch(
      /^Colonnes manquantes dans l’en-tête \(ligne 1\) : ligne, date_naissance/,
    );
    expect(parsePermitCsv(HEADER, TODAY).fileError).toBe('Le fichier ne contient aucun permis.');
    expect(parsePermitCsv('', TODAY).fileError).toBe('Le fichier est vide.');
    expect(parsePermitCsv(`${HEADER}\n"1;a`, TODAY).fileError).toMatch(/CSV lisible/);
  });

  it('keeps Arabic and Polish letters in the comparison key', () => {
    expect(nameKey('Łucja')).toBe('ŁUCJA');
    expect(nameKey('أمينة')).toBe('امينة'); // the hamza is a mark, like an accent
    expect(visitorKey('d', 'Nguyễn-Şahin', 'Łucja', '1988-03-14')).toBe(visitorKey('d', 'nguyen sahin', 'ŁUCJA', '1988-03-14'));
  });
});

describe('bulk import of paper permits: detainees, existing permits and photos', () => {
  const detainees = [
    { id: 'd1', ecrouNumber: '10001', name: 'Paul Durand', legalStatus: 'CONDAMNE' as const },
    { id: 'd2', ecrouNumber: '10002', name: 'Marc Petit', legalStatus: 'PREVENU' as const },
  ];

  it('matches by écrou, refuses an unknown one, a paper permit for a prévenu, and a visitor who already has a permit', () => {
    const lines = parse(
      '1;Benali;Amina;12/04/1985;10001;SPOUSE;PAPIER;01/01/2026;;;;;',
      '2;Benali;Karim;12/04/1985;99999;SPOUSE;PAPIER;01/01/2026;;;;;',
      '3;Benali;Sara;12/04/1985;10002;SPOUSE;PAPIER;01/01/2026;;;;;',
      '4;Benali;Yanis;12/04/1985;10002;SPOUSE;MAGISTRAT;01/01/2026;;;;;',
      '5;BENALI;Nadia;12/04/1985;10001;SPOUSE;MAGISTRAT;01/01/2026;;;;;',
    );
    checkAgainst(lines, detainees, new Set([visitorKey('d1', 'Benali', 'Nadia', '1985-04-12')]));
    expect(lines.map((l) => l.reasons)).toEqual([
      [],
      ['aucune personne détenue présente dans l’établissement n’a le numéro d’écrou 99999'],
      ['personne prévenue : le permis est délivré par le magistrat (origine MAGISTRAT)'],
      [],
      ['doublon : ce visiteur a déjà un permis pour cette personne détenue'],
    ]);
    expect(lines[0]).toMatchObject({ detaineeId: 'd1', detaineeName: 'Paul Durand', headReviewDue: false });
    expect(lines[4].headReviewDue).toBe(true);
  });

  it('rejects a line whose visitor a no-contact order in force on that detainee names (any script, birth date when known)', () => {
    const detainees = [{ id: 'd1', ecrouNumber: '10001', name: 'Paul Durand', legalStatus: 'CONDAMNE' as const }];
    const lines = parse(
      '1;Wałęsa;Łucja;12/04/1985;10001;SPOUSE;PAPIER;01/01/2026;;;;;',
      '2;Wałęsa;Łucja;13/04/1985;10001;SPOUSE;PAPIER;01/01/2026;;;;;',
      '3;Wałęsa;Jan;12/04/1985;10001;SPOUSE;PAPIER;01/01/2026;;;;;',
    );
    checkAgainst(lines, detainees, new Set(), new Map([['d1', [{ givenName: 'LUCJA', familyName: 'Walesa', birthdate: '1985-04-12' }]]]));
    expect(lines.map((l) => l.reasons)).toEqual([[NO_CONTACT_IMPORT_REASON], [], []]);
    expect(NO_CONTACT_IMPORT_REASON).toContain('interdiction d’entrer en relation en vigueur');
  });

  it('names photos by line number or paper reference, in any folder, and reports missing, doubled or too large photos', () => {
    expect(photoKey('photos/012.JPG')).toBe('12');
    expect(photoKey('P-7.png')).toBe('p-7');
    expect(photoKey('__MACOSX/photos/._12.jpg')).toBeNull();
    expect(photoKey('12.gif')).toBeNull();
    const lines = parse(
      '1;A;A;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;',
      '2;B;B;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;P-7',
      '3;C;C;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;',
      '4;D;D;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;R4',
      '5;E;E;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;',
    );
    assignPhotos(
      lines,
      [
        { name: 'photos/1.jpg', size: 10 },
        { name: 'P-7.png', size: 10 },
        { name: '4.jpg', size: 10 },
        { name: 'R4.jpg', size: 10 },
        { name: '5.jpg', size: 11 },
      ],
      10,
    );
    expect(lines.map((l) => l.photo)).toEqual(['photos/1.jpg', 'P-7.png', null, null, null]);
    expect(lines[2].reasons).toEqual(['photo manquante : ajoutez 3.jpg au fichier ZIP']);
    expect(lines[3].reasons).toEqual(['plusieurs photos pour cette ligne : 4.jpg, R4.jpg']);
    expect(lines[4].reasons).toEqual(['photo 5.jpg : elle dépasse 0 Mo']);
    expect(previewOrder(lines).map((l) => l.line)).toEqual([4, 5, 6, 2, 3]);
  });

  it('gives a photo to one line only (a number of one line may be the reference of another)', () => {
    const lines = parse('1;A;A;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;', '2;B;B;01/01/1980;10001;FRIEND;PAPIER;01/01/2026;;;;;1');
    assignPhotos(lines, [{ name: '1.jpg', size: 1 }], 10);
    expect(lines.map((l) => [l.photo, l.reasons])).toEqual([
      ['1.jpg', []],
      [null, ['photo 1.jpg déjà utilisée pour la ligne 2']],
    ]);
  });
});

describe('bulk import of paper permits: the ZIP of photos (zip-bomb safe)', () => {
  const zip = (files: Record<string, string>) =>
    Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([n, c]) => [n, new TextEncoder().encode(c)]))));

  it('lists the entries without uncompressing them, folders and names with control characters aside', () => {
    expect(listZip(zip({ 'photos/1.jpg': 'a', 'photos/2.jpg': 'bb', 'bad\u0000.jpg': 'c' }))).toEqual([
      { name: 'photos/1.jpg', size: 1 },
      { name: 'photos/2.jpg', size: 2 },
    ]);
    expect(hasControlCharacter('a\nb')).toBe(true);
    expect(hasControlCharacter('Łucja.jpg')).toBe(false);
  });

  it('refuses a ZIP that declares more than 500 MB once uncompressed, before uncompressing anything', () => {
    const z = zip({ '1.jpg': 'a' });
    const central = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt32LE(600 * 1024 * 1024, central + 24); // the declared uncompressed size
    expect(() => listZip(z)).toThrow('Le fichier ZIP dépasse 500 Mo une fois décompressé.');
  });

  it('refuses what is not a ZIP', () => {
    expect(() => listZip(Buffer.from('not a zip'))).toThrow(ZipError);
  });
});
