import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, AuditService } from '../common/audit.service';
import { execute, select, selectOne } from '../common/sql';
import { DEMO_AGENTS, DEMO_FAMILIES } from '../demo-idp/identities';
import type { StaffRole } from '../auth/roles';
import { grantOversight } from '../oversight/oversight-grants';
import { refreshEstablishments } from '../oversight/oversight-refresh';
import type { Direction, OversightGrant } from '../oversight/oversight.rules';
import type { AppointmentsService } from '../appointments/appointments.service';
import { issueClaimCode } from '../permits/permit-claims.service';
import { seedFamilyVisitInstruction } from './family-visits-instruction.seed';
import { seedFamilyVisitsDemo } from './family-visits-demo.seed';
import { type DemoPhoto, ensureDemoPhotos } from './demo-photos';
import type { DocumentStore } from '../common/document-store';

export const DEMO_ESTABLISHMENTS = [
  { code: 'CPNORD', name: 'Centre pénitentiaire de Démonstration-Nord', kind: 'CENTRE_PENITENTIAIRE' },
  { code: 'MASUD', name: 'Maison d’arrêt de Démonstration-Sud', kind: 'MAISON_ARRET' },
] as const;

/** The national and interregional views the demo agents read (by ProConnect subject): NATIONAL or a direction. */
const DEMO_OVERSIGHT: Record<string, (Direction | 'NATIONAL')[]> = {
  'pc-demo-dap': ['NATIONAL'],
  'pc-demo-disp': ['LILLE'],
};

/** Roles of the demo agents (by ProConnect subject), per establishment code. */
const DEMO_ROLES: Record<string, [string, StaffRole][]> = {
  'pc-demo-admin': [
    ['CPNORD', 'ADMIN'],
    ['MASUD', 'ADMIN'],
  ],
  'pc-demo-greffe': [['CPNORD', 'PERMITS_OFFICER']],
  'pc-demo-parloir': [['CPNORD', 'PARLOIR_AGENT']],
  'pc-demo-spip': [['CPNORD', 'SPIP_COUNSELLOR']],
  'pc-demo-chef': [['CPNORD', 'HEAD_OF_ESTABLISHMENT']],
  'pc-demo-activites': [['CPNORD', 'ACTIVITIES_OFFICER']],
  'pc-demo-greffe-sud': [['MASUD', 'PERMITS_OFFICER']],
};

const LAST = [
  'Bernard',
  'Thomas',
  'Robert',
  'Richard',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'André',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'François',
];
const FIRST = [
  'Lucas',
  'Hugo',
  'Nathan',
  'Enzo',
  'Louis',
  'Mehdi',
  'Théo',
  'Yanis',
  'Maxime',
  'Karim',
  'Antoine',
  'Julien',
  'Kevin',
  'Sofiane',
  'Romain',
  'Nicolas',
  'Dylan',
  'Ibrahima',
  'Jérémy',
  'Alexandre',
  'Sarah',
  'Inès',
  'Manon',
  'Léa',
  'Chloé',
];

/**
 * Demo data: two establishments, 50 detainees (both legal statuses), one agent per role, two family
 * accounts. Deterministic and idempotent. Each creation is audited as done by the system.
 */
export async function seedDemoData(
  ds: DataSource,
  opts: {
    onlyIfEmpty: boolean;
    appointments?: AppointmentsService;
    now: Date;
    photos: DocumentStore;
    /** Run in the seed's transaction, before it commits: the data exactly as seeded (the tests' reset keeps a copy). */
    beforeCommit?: (m: EntityManager) => Promise<void>;
  },
): Promise<boolean> {
  const audit = new AuditService();
  // The files first (a record never points to nothing); they are the same for every database.
  const photos = await ensureDemoPhotos(opts.photos);
  return ds.transaction(async (m) => {
    await execute(m, `SELECT pg_advisory_xact_lock(727262002)`);
    if (opts.onlyIfEmpty && (await count(m, `SELECT count(*)::int AS n FROM establishments`)) > 0) return false;
    const ids: Record<string, string> = {};
    for (const e of DEMO_ESTABLISHMENTS) {
      const row = (await selectOne<{ id: string; inserted: boolean }>(
        m,
        `INSERT INTO establishments (code, name, kind) VALUES ($1, $2, $3)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id, (xmax = 0) AS inserted`,
        [e.code, e.name, e.kind],
      ))!;
      ids[e.code] = row.id;
      if (row.inserted)
        await audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'ESTABLISHMENT_CREATED',
            entityType: 'establishment',
            entityId: row.id,
            establishmentId: row.id,
            after: e,
          },
          m,
        );
    }
    for (let i = 0; i < 50; i++) {
      const code = i < 30 ? 'CPNORD' : 'MASUD';
      const ecrou = String((code === 'CPNORD' ? 10000 : 20000) + i * 7 + 1);
      const year = 1960 + ((i * 7) % 45);
      const birth = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      const status = i % 3 === 0 ? 'PREVENU' : 'CONDAMNE';
      const row = await selectOne<{ id: string }>(
        m,
        `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, housing)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (establishment_id, ecrou_number) DO NOTHING RETURNING id`,
        [
          ids[code],
          ecrou,
          LAST[i % LAST.length],
          FIRST[(i * 3) % FIRST.length],
          birth,
          status,
          `Bâtiment ${'ABC'[i % 3]}, cellule ${100 + i}`,
        ],
      );
      if (row)
        await audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'DETAINEE_CREATED',
            entityType: 'detainee',
            entityId: row.id,
            establishmentId: ids[code],
            after: { ecrou, legalStatus: status },
          },
          m,
        );
    }
    for (const a of DEMO_AGENTS) {
      const roles = DEMO_ROLES[a.sub] ?? [];
      const oversight = DEMO_OVERSIGHT[a.sub] ?? [];
      if (!roles.length && !oversight.length) continue; // the "unknown agent" identity has no account on purpose
      const agent = (await selectOne<{ id: string }>(
        m,
        `INSERT INTO agents (email, first_name, last_name) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET first_name = EXCLUDED.first_name RETURNING id`,
        [a.email, a.given_name, a.usual_name],
      ))!;
      for (const [code, role] of roles) {
        const ra = await selectOne<{ id: string }>(
          m,
          `INSERT INTO role_assignments (agent_id, establishment_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
          [agent.id, ids[code], role],
        );
        if (ra)
          await audit.record(
            {
              actor: SYSTEM_ACTOR,
              action: 'ROLE_GRANTED',
              entityType: 'role_assignment',
              entityId: ra.id,
              establishmentId: ids[code],
              after: { agent: a.email, role, establishment: code },
            },
            m,
          );
      }
      for (const o of oversight) {
        const grant: OversightGrant = o === 'NATIONAL' ? { scope: 'NATIONAL' } : { scope: 'INTERREGIONAL', direction: o };
        await grantOversight(m, audit, SYSTEM_ACTOR, { id: agent.id, email: a.email }, grant);
      }
    }
    for (const f of DEMO_FAMILIES.slice(0, 2)) {
      const fam = await selectOne<{ id: string }>(
        m,
        `INSERT INTO family_accounts (fc_subject, given_name, family_name, birthdate, email) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (fc_subject) DO NOTHING RETURNING id`,
        [f.sub, f.given_name, f.family_name, f.birthdate, f.email],
      );
      if (fam)
        await audit.record(
          { actor: SYSTEM_ACTOR, action: 'FAMILY_ACCOUNT_CREATED', entityType: 'family_account', entityId: fam.id, after: { demo: true } },
          m,
        );
    }
    // Visiting rooms of the Nord establishment, and a permit for Camille to visit a condamné there.
    if ((await count(m, `SELECT count(*)::int AS n FROM visiting_rooms WHERE establishment_id = $1`, [ids.CPNORD])) === 0) {
      const room = (await selectOne<{ id: string }>(
        m,
        `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, 'Parloir familles 1', 'ORDINARY', 10) RETURNING id`,
        [ids.CPNORD],
      ))!;
      await execute(
        m,
        `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, 'Parloir avec séparation', 'SEPARATION', 4)`,
        [ids.CPNORD],
      );
      for (const [dow, start, end] of [
        [3, '14:00', '15:00'],
        [3, '15:30', '16:30'],
        [6, '09:30', '10:30'],
        [6, '14:00', '15:00'],
      ] as const) {
        await execute(
          m,
          `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, $2, $3, $4, 10, '2026-01-01')`,
          [room.id, dow, start, end],
        );
      }
      await audit.record(
        {
          actor: SYSTEM_ACTOR,
          action: 'VISITING_ROOM_CREATED',
          entityType: 'visiting_room',
          entityId: room.id,
          establishmentId: ids.CPNORD,
          after: { demo: true },
        },
        m,
      );
    }
    const camille = (await selectOne<{ id: string; givenName: string; familyName: string; birthdate: string; email: string }>(
      m,
      `SELECT id, given_name AS "givenName", family_name AS "familyName", to_char(birthdate, 'YYYY-MM-DD') AS birthdate, email
         FROM family_accounts WHERE fc_subject = $1`,
      [DEMO_FAMILIES[0].sub],
    ))!;
    if ((await count(m, `SELECT count(*)::int AS n FROM permits WHERE family_account_id = $1`, [camille.id])) === 0) {
      const d = (await selectOne<{ id: string }>(
        m,
        `SELECT id FROM detainees WHERE establishment_id = $1 AND legal_status = 'CONDAMNE' ORDER BY ecrou_number LIMIT 1`,
        [ids.CPNORD],
      ))!;
      const p = (await selectOne<{ id: string }>(
        m,
        `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name,
                              visitor_birthdate, relationship, valid_from, origin)
         VALUES ($1, $2, $3, $4, $5, $6, 'SPOUSE', '2026-01-01', 'PAPER') RETURNING id`,
        [ids.CPNORD, d.id, camille.id, camille.givenName, camille.familyName, camille.birthdate],
      ))!;
      await audit.record(
        {
          actor: SYSTEM_ACTOR,
          action: 'PERMIT_RECORDED',
          entityType: 'permit',
          entityId: p.id,
          establishmentId: ids.CPNORD,
          after: { demo: true },
        },
        m,
      );
    }
    // Before any appointment: its convocation gives the establishment's address and practical information.
    await seedDepartmentContacts(m);
    // Camille has two upcoming appointments, with their confirmations and reminders planned.
    const booked = await count(m, `SELECT count(*)::int AS n FROM appointments WHERE family_account_id = $1`, [camille.id]);
    if (opts.appointments && booked === 0) {
      const now = opts.now;
      const day = (days: number, hourUtc: number, minute = 0) => {
        const d = new Date(now.getTime() + days * 86400_000);
        d.setUTCHours(hourUtc, minute, 0, 0);
        return d;
      };
      const place = { establishmentId: ids.CPNORD, familyAccountId: camille.id, contactEmail: camille.email, contactPhone: '+33612345678' };
      await execute(m, `UPDATE family_accounts SET mobile_phone = '+33612345678' WHERE id = $1`, [camille.id]);
      const visit = await opts.appointments.bookIn(
        m,
        SYSTEM_ACTOR,
        {
          ...place,
          kind: 'VISIT',
          startsAt: day(3, 13, 30),
          endsAt: day(3, 14, 30),
          place: 'Parloir familles 1',
          address: '1 rue de la Démonstration, 59000 Lille',
        },
        now,
      );
      await seedCamilleVisit(m, ids.CPNORD, camille.id, visit);
      await opts.appointments.bookIn(
        m,
        SYSTEM_ACTOR,
        {
          ...place,
          kind: 'SPIP_INTERVIEW',
          startsAt: day(10, 9),
          endsAt: day(10, 10),
          place: 'SPIP, accueil du public',
          address: '1 rue de la Démonstration, 59000 Lille',
        },
        now,
      );
    }
    await seedVisitDay(m, opts.now, photos);
    await seedMagistratePermit(m, ids.CPNORD);
    await seedClaimablePermit(m, ids.CPNORD, opts.now);
    await seedFamilyVisitInstruction(m, ids.CPNORD, opts.now);
    await seedFamilyVisitsDemo(m, ids.CPNORD, opts.now);
    // The national view's months, as the hourly job would have computed them.
    const all = await select<{ id: string; timeZone: string }>(m, `SELECT id, time_zone AS "timeZone" FROM establishments`);
    await refreshEstablishments(m, all, opts.now, 'all');
    await opts.beforeCommit?.(m);
    return true;
  });
}

/**
 * What an acknowledgement and a decision letter must name (CRPA R112-5, L212-1): each demo
 * establishment's address, phone, e-mail and interregional direction; the demo head's quality.
 */
async function seedDepartmentContacts(m: EntityManager) {
  const contacts: Record<string, [string, string, string, string]> = {
    CPNORD: [
      '1 rue de la Démonstration, 59000 Lille',
      '03 20 00 00 00',
      'cp-demo-nord@justice.fr',
      'Direction interrégionale des services pénitentiaires de Lille',
    ],
    MASUD: [
      '2 avenue de la Démonstration, 13000 Marseille',
      '04 91 00 00 00',
      'ma-demo-sud@justice.fr',
      'Direction interrégionale des services pénitentiaires de Marseille',
    ],
  };
  for (const [code, [address, phone, email, direction]] of Object.entries(contacts))
    await execute(
      m,
      `UPDATE establishments SET address = $2, phone = $3, email = $4, interregional_direction = $5 WHERE code = $1 AND address IS NULL`,
      [code, address, phone, email, direction],
    );
  // The direction each belongs to, for the national and interregional views (« Pilotage »).
  const directions: Record<string, Direction> = { CPNORD: 'LILLE', MASUD: 'MARSEILLE' };
  for (const [code, direction] of Object.entries(directions))
    await execute(m, `UPDATE establishments SET direction = $2 WHERE code = $1 AND direction IS NULL`, [code, direction]);
  // The practical information families read on the public page, their convocations and reminders.
  const practical: Record<string, [string, string, string, string, string, string, string]> = {
    CPNORD: [
      '+33320000010',
      'Du mardi au samedi : accueil des familles de 8 h 30 à 11 h 30 et de 13 h 30 à 17 h.\nTéléphone du parloir : du lundi au vendredi, de 9 h à 12 h.',
      'Tram ligne 1, arrêt « Centre pénitentiaire », puis 5 minutes à pied.\nParking gratuit devant l’accueil des familles.',
      'Casiers à l’accueil des familles, avec une pièce de 1 € (rendue).',
      'Un sac de linge par visite, déposé à l’accueil (liste affichée à l’accueil). Nourriture, boissons, téléphones et objets métalliques sont interdits au parloir.',
      'Tenue correcte exigée. Évitez les vêtements à armature métallique (passage sous le portique).',
      'Accueil des familles et parloirs accessibles en fauteuil roulant ; une place de stationnement réservée. Signalez-vous à l’accueil pour être aidé.',
    ],
    MASUD: [
      '+33491000010',
      'Du lundi au samedi, de 8 h à 11 h et de 13 h à 16 h 30.',
      'Métro ligne 2, arrêt « Démonstration », puis bus 21.',
      'Casiers à l’accueil des familles (jeton remis à l’accueil).',
      'Un sac de linge par visite, déposé à l’accueil.',
      'Tenue correcte exigée.',
      'Parloirs de plain-pied, accessibles en fauteuil roulant.',
    ],
  };
  for (const [code, fields] of Object.entries(practical))
    await execute(
      m,
      `INSERT INTO establishment_info (establishment_id, parloir_phone, parloir_hours, access, lockers, what_to_bring, dress_code, accessibility)
       SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM establishments WHERE code = $1 ON CONFLICT (establishment_id) DO NOTHING`,
      [code, ...fields],
    );
  // MASUD's information is translated into English and Arabic (issue #16); Spanish readers get it in French.
  const translations: [string, string, string, string, string, string, string][] = [
    [
      'en',
      'Monday to Saturday, 8 am to 11 am and 1 pm to 4:30 pm.',
      'Metro line 2, stop « Démonstration », then bus 21.',
      'Lockers at the families’ reception (ask for a token there).',
      'One bag of clothes per visit, left at the reception.',
      'Decent clothing required.',
      'Visiting rooms on one level, wheelchair accessible.',
    ],
    [
      'ar',
      'من الاثنين إلى السبت، من 8:00 إلى 11:00 ومن 13:00 إلى 16:30.',
      'المترو الخط 2، محطة « Démonstration »، ثم الحافلة 21.',
      'خزائن في مكتب استقبال العائلات (اطلب رمزًا هناك).',
      'كيس ملابس واحد لكل زيارة، يُترك في مكتب الاستقبال.',
      'يُشترط لباس لائق.',
      'قاعات الزيارة في الطابق الأرضي، ويمكن الوصول إليها بالكرسي المتحرك.',
    ],
  ];
  for (const [language, ...texts] of translations)
    await execute(
      m,
      `INSERT INTO establishment_info_translations
         (establishment_id, language, parloir_hours, access, lockers, what_to_bring, dress_code, accessibility, french_updated_at)
       SELECT e.id, $2, $3, $4, $5, $6, $7, $8, i.updated_at FROM establishments e JOIN establishment_info i ON i.establishment_id = e.id
       WHERE e.code = $1 ON CONFLICT (establishment_id, language) DO NOTHING`,
      ['MASUD', language, ...texts],
    );
  const chef = DEMO_AGENTS.find((a) => a.sub === 'pc-demo-chef');
  if (chef)
    await execute(m, `UPDATE agents SET quality = 'Directeur du centre pénitentiaire' WHERE email = $1 AND quality IS NULL`, [chef.email]);
}

/** The visit behind Camille's demo convocation, so that its QR code opens it at the visiting room. */
async function seedCamilleVisit(
  m: EntityManager,
  establishmentId: string,
  familyId: string,
  a: { id: string; reference: string; startsAt: Date; endsAt: Date },
) {
  const room = await selectOne<{ id: string }>(
    m,
    `SELECT id FROM visiting_rooms WHERE establishment_id = $1 AND name = 'Parloir familles 1'`,
    [establishmentId],
  );
  const permit = await selectOne<{ id: string; detaineeId: string }>(
    m,
    `SELECT id, detainee_id AS "detaineeId" FROM permits WHERE family_account_id = $1 AND status = 'ACTIVE' LIMIT 1`,
    [familyId],
  );
  if (!room || !permit) return;
  const range = `[${a.startsAt.toISOString()},${a.endsAt.toISOString()})`;
  const slot = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, 10, 1) RETURNING id`,
    [room.id, a.startsAt, a.endsAt],
  ))!;
  const visit = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, appointment_id, reference, channel, during)
     VALUES ($1, $2, $3, $4, $5, $6, 'ONLINE', $7::tstzrange) RETURNING id`,
    [establishmentId, slot.id, permit.detaineeId, familyId, a.id, a.reference, range],
  ))!;
  await execute(m, `INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [visit.id, permit.id, range]);
}

const VISITORS = [
  ['Amina', 'Benali', '1985-04-12'],
  ['Yasmine', 'Benali', '2012-09-03'],
  ['Pierre', 'Martin', '1958-02-20'],
  ['Sophie', 'Lemaire', '1990-11-30'],
  ['Jean', 'Lemaire', '1962-07-08'],
  ['Fatou', 'Diallo', '1979-01-15'],
] as const;

/**
 * Four visits today (14:00 and 15:30, Paris time) with paper permits, for the arrival-check demo:
 * created on each start of a demo app on a day that has none (references DEMO<ddmm><n>). The
 * visitors' permits carry their photo (demo-photos.ts), so the agent can compare faces at the door.
 */
export async function seedVisitDay(m: EntityManager, now: Date, photos: readonly DemoPhoto[]) {
  await createVisitDay(m, now);
  await attachDemoPhotos(m, photos);
}

async function createVisitDay(m: EntityManager, now: Date) {
  const { fromZonedTime, formatInTimeZone } = await import('date-fns-tz');
  const day = formatInTimeZone(now, 'Europe/Paris', 'yyyy-MM-dd');
  const tag = `DEMO${day.slice(8, 10)}${day.slice(5, 7)}`;
  await execute(m, `SELECT pg_advisory_xact_lock(727262003)`); // instances starting together seed once
  const room = await selectOne<{ id: string; establishmentId: string }>(
    m,
    `SELECT r.id, r.establishment_id AS "establishmentId" FROM visiting_rooms r JOIN establishments e ON e.id = r.establishment_id
      WHERE e.code = 'CPNORD' AND r.name = 'Parloir familles 1'`,
  );
  if (!room) return;
  if ((await count(m, `SELECT count(*)::int AS n FROM visits WHERE reference LIKE $1`, [`${tag}%`])) > 0) return;
  // Not the detainees the demo families visit: their own bookings stay free of today's visits.
  const detainees = await select<{ id: string }>(
    m,
    `SELECT d.id FROM detainees d WHERE d.establishment_id = $1 AND d.custody_status = 'PRESENT'
        AND NOT EXISTS (SELECT 1 FROM permits p WHERE p.detainee_id = d.id AND p.family_account_id IS NOT NULL)
      ORDER BY d.ecrou_number LIMIT 4`,
    [room.establishmentId],
  );
  const groups = [[0, 1], [2], [3, 4], [5]];
  for (const [i, d] of detainees.entries()) {
    const [start, end] = i < 2 ? ['14:00', '15:00'] : ['15:30', '16:30'];
    const startsAt = fromZonedTime(`${day} ${start}`, 'Europe/Paris');
    const endsAt = fromZonedTime(`${day} ${end}`, 'Europe/Paris');
    const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
    const busy = await selectOne(m, `SELECT 1 FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND during && $2::tstzrange`, [
      d.id,
      range,
    ]);
    if (busy) continue;
    await execute(
      m,
      `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, 10) ON CONFLICT (room_id, starts_at) DO NOTHING`,
      [room.id, startsAt, endsAt],
    );
    const slot = (await selectOne<{ id: string }>(
      m,
      `UPDATE visit_slots SET booked = booked + 1 WHERE room_id = $1 AND starts_at = $2 RETURNING id`,
      [room.id, startsAt],
    ))!;
    const visit = (await selectOne<{ id: string }>(
      m,
      `INSERT INTO visits (establishment_id, slot_id, detainee_id, reference, channel, during)
       VALUES ($1, $2, $3, $4, 'PHONE', $5::tstzrange) RETURNING id`,
      [room.establishmentId, slot.id, d.id, `${tag}${i + 1}`, range],
    ))!;
    for (const v of groups[i]) {
      const [given, family, birth] = VISITORS[v];
      const permit =
        (await selectOne<{ id: string }>(
          m,
          `SELECT id FROM permits WHERE detainee_id = $1 AND visitor_given_name = $2 AND visitor_family_name = $3`,
          [d.id, given, family],
        )) ??
        (await selectOne<{ id: string }>(
          m,
          `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, valid_from, origin)
           VALUES ($1, $2, $3, $4, $5, 'OTHER', '2026-01-01', 'PAPER') RETURNING id`,
          [room.establishmentId, d.id, given, family, birth],
        ))!;
      await execute(m, `INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [
        visit.id,
        permit.id,
        range,
      ]);
    }
  }
}

/**
 * The photo of each demo visitor's paper permits that have none (those of today's visits, and of
 * earlier days'): one record per photo, its file written by ensureDemoPhotos.
 */
async function attachDemoPhotos(m: EntityManager, photos: readonly DemoPhoto[]) {
  for (const photo of photos) {
    const permits = await select<{ id: string }>(
      m,
      `SELECT p.id FROM permits p JOIN establishments e ON e.id = p.establishment_id
        WHERE e.code = 'CPNORD' AND p.family_account_id IS NULL AND p.origin = 'PAPER' AND p.photo_document_id IS NULL
          AND p.visitor_given_name = $1 AND p.visitor_family_name = $2`,
      [photo.givenName, photo.familyName],
    );
    if (!permits.length) continue;
    const document = (await selectOne<{ id: string }>(
      m,
      `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name, review)
       VALUES (NULL, 'PHOTO', $1, 'image/jpeg', $2, $3, $4, 'ACCEPTED')
       ON CONFLICT (storage_key) DO UPDATE SET storage_key = EXCLUDED.storage_key RETURNING id`,
      [photo.storageKey, photo.sizeBytes, photo.sha256, `photo-${photo.givenName}-${photo.familyName}.jpg`.toLowerCase()],
    ))!;
    await execute(m, `UPDATE permits SET photo_document_id = $1, updated_at = now() WHERE id = ANY($2)`, [
      document.id,
      permits.map((p) => p.id),
    ]);
  }
}

/** A `SELECT count(*)::int AS n …`. */
/**
 * A permit the magistrate issued for a prévenu of CP Nord (the head may only « surseoir et en
 * référer au magistrat » on it): once.
 */
async function seedMagistratePermit(m: EntityManager, establishmentId: string) {
  const exists = await count(m, `SELECT count(*)::int AS n FROM permits WHERE establishment_id = $1 AND origin = 'MAGISTRATE'`, [
    establishmentId,
  ]);
  if (exists > 0) return;
  const detainee = await selectOne<{ id: string }>(
    m,
    `SELECT id FROM detainees WHERE establishment_id = $1 AND legal_status = 'PREVENU' ORDER BY ecrou_number LIMIT 1`,
    [establishmentId],
  );
  if (!detainee) return;
  await execute(
    m,
    `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship,
                          valid_from, origin, issuing_authority)
     VALUES ($1, $2, 'Łucja', 'Wiśniewska', '1979-05-02', 'SIBLING', current_date - 30, 'MAGISTRATE',
             'Juge d’instruction, tribunal judiciaire de Lille')`,
    [establishmentId, detainee.id],
  );
}

async function count(m: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  return (await selectOne<{ n: number }>(m, sql, params))?.n ?? 0;
}

/** The demo code of Léa Dubois's paper permit: she links it in « Mes permis » at her first sign-in. */
export const DEMO_CLAIM_CODE = 'LEADUBAS2345';

/**
 * A paper permit recorded by the Nord greffe for Léa Dubois (no account yet: hers is created at her
 * first sign-in), with its claim code and the letter that gives it.
 */
async function seedClaimablePermit(m: EntityManager, establishmentId: string, now: Date) {
  const lea = DEMO_FAMILIES.find((f) => f.sub === 'fc-demo-lea-dubois')!;
  const exists = await count(m, `SELECT count(*)::int AS n FROM permits WHERE visitor_given_name = $1 AND visitor_family_name = $2`, [
    lea.given_name,
    lea.family_name,
  ]);
  if (exists) return;
  const d = (await selectOne<{ id: string }>(
    m,
    `SELECT id FROM detainees WHERE establishment_id = $1 AND legal_status = 'CONDAMNE' ORDER BY ecrou_number OFFSET 1 LIMIT 1`,
    [establishmentId],
  ))!;
  const p = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship,
                          valid_from, origin, paper_reference)
     VALUES ($1, $2, $3, $4, $5, 'SIBLING', '2026-01-01', 'PAPER', 'PV-PAPIER-0042') RETURNING id`,
    [establishmentId, d.id, lea.given_name, lea.family_name, lea.birthdate],
  ))!;
  await issueClaimCode(m, p.id, now, DEMO_CLAIM_CODE);
  await new AuditService().record(
    { actor: SYSTEM_ACTOR, action: 'PERMIT_RECORDED', entityType: 'permit', entityId: p.id, establishmentId, after: { demo: true } },
    m,
  );
}
