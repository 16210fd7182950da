import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { insertAgent, insertEstablishment, insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { page, type HtmlPage } from './helpers/html';
import { LEGAL_SETTINGS } from './helpers/legal-settings';
import { follow, signInAgent, signInFamily } from './helpers/sign-in';

/**
 * The pages the law requires (issue #16): public, in French, linked from every page's footer. The
 * file runs its own app with the deployment's settings those pages read, to see them on the pages.
 */
const SETTINGS = LEGAL_SETTINGS;
const suite = appForTests(SETTINGS);

const PAGES = [
  { path: '/mentions-legales', heading: 'Mentions légales' },
  { path: '/donnees-personnelles', heading: 'Données personnelles' },
  { path: '/cookies', heading: 'Gestion des cookies' },
  { path: '/accessibilite', heading: 'Déclaration d’accessibilité' },
  { path: '/plan-du-site', heading: 'Plan du site' },
];

/** The footer's bottom links, as a person reads them: text and address. */
const FOOTER_LINKS = [
  { text: 'Plan du site', href: '/plan-du-site' },
  { text: 'Accessibilité : non conforme', href: '/accessibilite' },
  { text: 'Mentions légales', href: '/mentions-legales' },
  { text: 'Données personnelles', href: '/donnees-personnelles' },
  { text: 'Gestion des cookies', href: '/cookies' },
];

function footerLinks(p: HtmlPage) {
  return p
    .testId('footer-legal')
    .find('a')
    .toArray()
    .map((a) => ({ text: p.$(a).text().replace(/\s+/g, ' ').trim(), href: p.$(a).attr('href') }));
}

function links(p: HtmlPage, testId: string): string[] {
  return p
    .testId(testId)
    .find('a')
    .toArray()
    .map((a) => p.$(a).attr('href') ?? '');
}

/** The header menu's links (the navigation the layout gets for the person signed in). */
function menuLinks(p: HtmlPage): string[] {
  return p
    .$('#navigation a')
    .toArray()
    .map((a) => p.$(a).attr('href') ?? '');
}

const anonymous = () => request(suite.app.url);

describe('the legal pages', () => {
  it('answer an anonymous visitor with their heading and title, and leave no cookie, nor does the home page', async () => {
    for (const { path, heading } of PAGES) {
      const res = await anonymous().get(path).expect(200);
      const p = page(res);
      expect({ path, heading: p.heading(), title: p.title() }).toEqual({
        path,
        heading,
        title: `${heading} - P2V - Ministère de la Justice`,
      });
      expect({ path, cookie: res.headers['set-cookie'] }).toEqual({ path, cookie: undefined });
    }
    expect((await anonymous().get('/').expect(200)).headers['set-cookie']).toBeUndefined();
  });

  it('mentions légales: the publisher, the director of publication, the hosting provider set for the deployment', async () => {
    const p = page(await anonymous().get('/mentions-legales').expect(200));
    expect(p.testId('publisher').html()).toBe(
      'Ministère de la Justice<br>Direction de l’administration pénitentiaire (DAP)<br>13 place Vendôme<br>75001 Paris',
    );
    expect(p.text('publication-director')).toBe('Le directeur de l’administration pénitentiaire.');
    expect(p.text('hosting-provider')).toBe(SETTINGS.HOSTING_PROVIDER);
    expect(
      p
        .$('h2')
        .toArray()
        .map((h) => p.$(h).text()),
    ).toEqual(['Éditeur', 'Directeur de la publication', 'Hébergement', 'Propriété intellectuelle', 'Liens', 'Autres informations']);
  });

  it('données personnelles: the controller, the legal bases, the rights with « Mes données », the DPO set for the deployment and the CNIL', async () => {
    const p = page(await anonymous().get('/donnees-personnelles').expect(200));
    expect(p.text('controller')).toContain(
      'ministère de la Justice, direction de l’administration pénitentiaire (DAP), 13 place Vendôme, 75001 Paris',
    );
    expect(p.mainText()).toContain('article 6, paragraphe 1, point e du RGPD');
    expect(p.mainText()).toContain('article 6, paragraphe 1, point c du RGPD');
    expect(p.text('no-transfer')).toContain('Elles ne sont transférées dans aucun pays hors de l’Union européenne.');
    expect(p.testId('my-data-link').attr('href')).toBe('/mes-donnees');
    expect(p.testId('dpo-email').attr('href')).toBe(`mailto:${SETTINGS.DPO_EMAIL}`);
    expect(p.text('dpo-email')).toBe(SETTINGS.DPO_EMAIL);
    expect(p.text('cnil')).toContain('CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07');
    expect(p.testId('cnil').find('a').attr('href')).toBe('https://www.cnil.fr');
    for (const right of ['d’accès', 'de rectification', 'd’effacement', 'à la limitation', 'd’opposition']) {
      expect(
        p
          .$('#droits ~ ul strong')
          .toArray()
          .map((s) => p.$(s).text()),
      ).toContain(right);
    }
  });

  it('données personnelles: every retention duration as docs/retention.md gives it, applied or proposed as it says (visits: 2 years, proposed)', async () => {
    const p = page(await anonymous().get('/donnees-personnelles').expect(200));
    const rows = new Map(
      p
        .testId('retention-row')
        .toArray()
        .map((r) => [
          p.$(r).attr('data-kind')!,
          {
            duration: p.$(r).find('[data-testid="retention-duration"]').text().replace(/\s+/g, ' ').trim(),
            state: p.$(r).find('[data-testid="retention-state"]').text().trim(),
          },
        ]),
    );
    expect(rows.get('visits')).toEqual({ duration: '2 ans après la visite', state: 'Proposée' });

    // docs/retention.md's table: the tables each row names, how long, and whether a job applies it.
    const doc = new Map<string, { howLong: string; applied: boolean }>();
    for (const line of readFileSync(join(__dirname, '..', 'docs', 'retention.md'), 'utf8').split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length !== 8 || !cells[1].startsWith('`')) continue;
      for (const [, table] of cells[1].matchAll(/`([a-z_]+)`/g))
        doc.set(table, { howLong: cells[4], applied: cells[6].includes('**applied**') });
    }
    const TABLES: Record<string, string[]> = {
      account: ['family_accounts'],
      documents: ['permit_documents', 'family_visit_documents'],
      'permit-requests': ['permit_requests', 'permit_request_events', 'letters'],
      permits: ['permits'],
      visits: ['visits', 'visit_visitors'],
      waitlist: ['visit_waitlist'],
      appointments: ['appointments'],
      'family-visits': ['family_visit_juvenile_judge_opinions'],
      notifications: ['notifications', 'notification_attempts'],
      recipients: ['notification_recipients'],
      failures: ['permit_lookup_failures', 'permit_claim_failures'],
      session: ['session'],
      detainees: ['detainees'],
      'no-contact-orders': ['no_contact_orders'],
      agents: ['agents', 'role_assignments', 'signature_delegations'],
      audit: ['audit_log'],
      'video-calls': ['video_call_access', 'video_call_bookings', 'video_call_charters', 'video_call_codes', 'detainee_phone_contacts'],
      incidents: ['visit_incidents', 'visit_restrictions'],
    };
    expect([...rows.keys()].sort()).toEqual(Object.keys(TABLES).sort());
    // A duration the configuration sets is shown with the deployment's value (this file's settings, or the default).
    const configured: Record<string, string> = {
      DOCUMENTS_RETENTION_DAYS: `${SETTINGS.DOCUMENTS_RETENTION_DAYS} jours`,
      NOTIFICATIONS_RETENTION_DAYS: '365 jours',
      SESSION_IDLE_MINUTES: `${SETTINGS.SESSION_IDLE_MINUTES} minutes`,
    };
    const french = (n: string, unit: string) =>
      unit.startsWith('year') ? `${n} ${n === '1' ? 'an' : 'ans'}` : unit.startsWith('month') ? `${n} mois` : `${n} jours`;
    const wrong: string[] = [];
    for (const [kind, tables] of Object.entries(TABLES)) {
      const shown = rows.get(kind)!;
      const said = tables.map((t) => doc.get(t)).filter((d) => d !== undefined);
      const state = said.length === 0 ? 'Pas encore fixée' : said.every((d) => d.applied) ? 'Appliquée' : 'Proposée';
      if (shown.state !== state) wrong.push(`${kind}: shown ${shown.state}, docs/retention.md says ${state}`);
      const first = said[0];
      if (!first) continue;
      const variable = /`([A-Z_]+)`/.exec(first.howLong)?.[1];
      const number = /(\d+) (years?|months?|days?)/.exec(first.howLong);
      const expected = variable ? configured[variable] : number ? french(number[1], number[2]) : undefined;
      if (expected && !shown.duration.includes(expected)) wrong.push(`${kind}: "${shown.duration}" lacks "${expected}" (${first.howLong})`);
    }
    expect(wrong).toEqual([]);
  });

  it('cookies: names p2v.sid with the session’s idle timeout, the very cookie a signed-in person gets, and no tracker nor banner', async () => {
    const p = page(await anonymous().get('/cookies').expect(200));
    expect(p.text('cookie-name')).toBe('p2v.sid');
    expect(p.text('cookie-lifetime')).toMatch(/^45 minutes sans activité .* au plus 12 heures après votre connexion\./);
    expect(p.text('no-tracking')).toContain('aucun cookie ni traceur de mesure d’audience');
    expect(p.text('no-banner')).toContain('article 82 de la loi n° 78-17 du 6 janvier 1978');

    const family = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Nguyễn', familyName: 'Thị Hoa' }));
    const cookies = ((await family.get('/mon-espace').expect(200)).headers['set-cookie'] ?? []) as unknown as string[];
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['p2v.sid']);
    const expires = Date.parse(/; Expires=([^;]+)/.exec(cookies[0])![1]);
    expect(Math.round((expires - Date.now()) / 60_000)).toBe(45);
    expect(cookies[0]).toMatch(/; HttpOnly/);
    expect(cookies[0]).toMatch(/; SameSite=Lax/);
  });

  it('accessibilité: the RGAA statement, « non conforme » without a full audit, its status the footer’s, its date and contact set for the deployment, the Défenseur des droits', async () => {
    const p = page(await anonymous().get('/accessibilite').expect(200));
    // No full audit by a person (ACCESSIBILITY_AUDIT_RATE unset): « non conforme », as the RGAA requires, and why.
    expect(p.text('compliance-status')).toBe('non conforme');
    expect(p.text('compliance')).toContain('aucun audit complet n’a encore été réalisé par une personne');
    expect(p.has('audit-rate')).toBe(false);
    expect(footerLinks(p)[1].text).toBe(`Accessibilité : ${p.text('compliance-status')}`);
    expect(p.text('audit')).toContain('interne et automatisée');
    expect(p.text('audit-date')).toBe('15 janvier 2027');
    expect(p.text('derogations')).toBe('Aucune.');
    expect(p.texts('technologies')[0]).toBe('HTML CSS JavaScript (système de design de l’État, DSFR)');
    expect(p.text('tools')).toContain('axe-core');
    expect(p.testId('known-limits').find('li').length).toBeGreaterThan(0);
    expect(p.text('known-limits')).toContain('La connexion se ferme après 45 minutes sans activité');
    expect(p.testId('accessibility-email').attr('href')).toBe(`mailto:${SETTINGS.ACCESSIBILITY_EMAIL}`);
    const remedies = p.text('remedies');
    expect(remedies).toContain('09 69 39 00 00');
    expect(remedies).toContain('Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07');
    expect(links(p, 'remedies')).toEqual(['https://formulaire.defenseurdesdroits.fr/', 'https://www.defenseurdesdroits.fr/']);
  });
});

describe('the footer', () => {
  it('holds the five legal links on a public page, a family’s page, a staff page, an error page and the demo provider’s page', async () => {
    const family = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Łucja', familyName: 'Şahin' }));
    const establishment = await insertEstablishment();
    const agent = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }]));
    const pages = {
      home: page(await anonymous().get('/').expect(200)),
      family: page(await family.get('/mon-espace').expect(200)),
      staff: page(await agent.get(`/etablissements/${establishment.code}/permis/demandes`).expect(200)),
      notFound: page(await family.get('/page-qui-n-existe-pas').expect(404)),
      forbidden: page(await family.get('/agents').expect(403)),
      provider: page((await follow(request.agent(suite.app.url), '/connexion')).res),
    };
    expect(pages.notFound.heading()).toBe('Page non trouvée');
    expect(pages.provider.heading()).toBe('FranceConnect — fournisseur d’identité de démonstration');
    for (const [name, p] of Object.entries(pages)) expect({ name, links: footerLinks(p) }).toEqual({ name, links: FOOTER_LINKS });
  });
});

describe('the site map', () => {
  it('lists a signed-in family’s pages, those of its menu, and no staff page', async () => {
    const family = await signInFamily(suite.app.url, await insertFamily({ givenName: 'محمد', familyName: 'Haddad' }));
    const p = page(await family.get('/plan-du-site').expect(200));
    const space = links(p, 'site-map-space');
    expect(space).toEqual([...menuLinks(p), '/deconnexion']);
    expect(space).toEqual([
      '/mon-espace',
      '/demandes',
      '/permis',
      '/mes-rendez-vous',
      '/uvf',
      '/mes-donnees',
      '/comment-ca-marche',
      '/deconnexion',
    ]);
    expect(links(p, 'site-map-public')).toEqual([
      '/',
      '/mentions-legales',
      '/donnees-personnelles',
      '/cookies',
      '/accessibilite',
      '/plan-du-site',
    ]);
  });

  it('lists an agent’s pages, grouped as in the menu, and no family page; an anonymous visitor gets the public pages only', async () => {
    const establishment = await insertEstablishment();
    const agent = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }]));
    const p = page(await agent.get('/plan-du-site').expect(200));
    const space = links(p, 'site-map-space');
    expect(space).toEqual([...menuLinks(p), '/deconnexion']);
    expect(space).toContain(`/etablissements/${establishment.code}/parloir`);
    expect(space.filter((h) => ['/mon-espace', '/demandes', '/permis', '/mes-rendez-vous', '/uvf'].includes(h))).toEqual([]);

    const visitor = page(await anonymous().get('/plan-du-site').expect(200));
    expect(visitor.has('site-map-space')).toBe(false);
    expect(links(visitor, 'site-map-public')).toContain('/mentions-legales');
  });
});
