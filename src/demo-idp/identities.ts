/**
 * Demo identities of the local OpenID provider (stand-in for FranceConnect and ProConnect).
 * The demo data (src/demo/seed.ts) creates the matching family accounts and agents.
 */
export interface DemoFamilyIdentity {
  sub: string;
  given_name: string;
  family_name: string;
  birthdate: string;
  email: string;
  acr: string;
  note?: string;
}

export interface DemoAgentIdentity {
  sub: string;
  given_name: string;
  usual_name: string;
  email: string;
  uid: string;
  note: string;
}

export const DEMO_FAMILIES: DemoFamilyIdentity[] = [
  {
    sub: 'fc-demo-camille-martin',
    given_name: 'Camille',
    family_name: 'Martin',
    birthdate: '1985-03-14',
    email: 'camille.martin@example.fr',
    acr: 'eidas1',
  },
  {
    sub: 'fc-demo-karim-benali',
    given_name: 'Karim',
    family_name: 'Benali',
    birthdate: '1979-11-02',
    email: 'karim.benali@example.fr',
    acr: 'eidas1',
  },
  {
    sub: 'fc-demo-lea-dubois',
    given_name: 'Léa',
    family_name: 'Dubois',
    birthdate: '1992-07-21',
    email: 'lea.dubois@example.fr',
    acr: 'eidas1',
    note: 'première connexion : le compte est créé',
  },
  {
    sub: 'fc-demo-niveau-faible',
    given_name: 'Jean',
    family_name: 'Faible',
    birthdate: '1990-01-01',
    email: 'jean.faible@example.fr',
    acr: 'eidas0',
    note: 'niveau de garantie insuffisant : refusé',
  },
];

export const DEMO_AGENTS: DemoAgentIdentity[] = [
  {
    sub: 'pc-demo-admin',
    given_name: 'Nadia',
    usual_name: 'Lefèvre',
    email: 'nadia.lefevre@justice.gouv.fr',
    uid: 'nlefevre',
    note: 'Administratrice (deux établissements)',
  },
  {
    sub: 'pc-demo-greffe',
    given_name: 'Thomas',
    usual_name: 'Girard',
    email: 'thomas.girard@justice.gouv.fr',
    uid: 'tgirard',
    note: 'Agent du greffe (Nord)',
  },
  {
    sub: 'pc-demo-parloir',
    given_name: 'Sophie',
    usual_name: 'Moreau',
    email: 'sophie.moreau@justice.gouv.fr',
    uid: 'smoreau',
    note: 'Agente parloir (Nord)',
  },
  {
    sub: 'pc-demo-spip',
    given_name: 'Julien',
    usual_name: 'Roux',
    email: 'julien.roux@justice.gouv.fr',
    uid: 'jroux',
    note: 'CPIP (Nord)',
  },
  {
    sub: 'pc-demo-chef',
    given_name: 'Isabelle',
    usual_name: 'Fontaine',
    email: 'isabelle.fontaine@justice.gouv.fr',
    uid: 'ifontaine',
    note: 'Cheffe d’établissement (Nord)',
  },
  {
    sub: 'pc-demo-activites',
    given_name: 'Marc',
    usual_name: 'Petit',
    email: 'marc.petit@justice.gouv.fr',
    uid: 'mpetit',
    note: 'Surveillant activités (Nord)',
  },
  {
    sub: 'pc-demo-greffe-sud',
    given_name: 'Hélène',
    usual_name: 'Garnier',
    email: 'helene.garnier@justice.gouv.fr',
    uid: 'hgarnier',
    note: 'Agente du greffe (Sud)',
  },
  {
    sub: 'pc-demo-dap',
    given_name: 'Aurélie',
    usual_name: 'Nguyễn',
    email: 'aurelie.nguyen@justice.gouv.fr',
    uid: 'anguyen',
    note: 'Pilotage national (DAP) : chiffres de tous les établissements',
  },
  {
    sub: 'pc-demo-disp',
    given_name: 'Karim',
    usual_name: 'Łukasiewicz',
    email: 'karim.lukasiewicz@justice.gouv.fr',
    uid: 'klukasiewicz',
    note: 'Pilotage interrégional (DISP de Lille)',
  },
  {
    sub: 'pc-demo-inconnu',
    given_name: 'Paul',
    usual_name: 'Nouveau',
    email: 'paul.nouveau@justice.gouv.fr',
    uid: 'pnouveau',
    note: 'sans rôle : « demandez à votre administrateur »',
  },
];

/**
 * An identity typed on the demo provider's page (the demo and the tests: any person, any name).
 * Families: given_name, family_name, birthdate (AAAA-MM-JJ), email, acr (eidas1 by default).
 * Agents: given_name, usual_name, email. The subject is derived from the e-mail (or given as `sub`),
 * so the same person typed twice is the same account. Null when a field is missing.
 */
export function customIdentity(
  kind: 'family' | 'agent',
  form: Record<string, unknown>,
): { kind: 'family'; identity: DemoFamilyIdentity } | { kind: 'agent'; identity: DemoAgentIdentity } | null {
  const text = (name: string) => (typeof form[name] === 'string' ? form[name].trim().slice(0, 200) : '');
  const email = text('email').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || !text('given_name')) return null;
  const sub = text('sub') || `${kind === 'family' ? 'fc' : 'pc'}-custom-${email}`;
  if (kind === 'family') {
    const birthdate = text('birthdate');
    if (!text('family_name') || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) return null;
    const acr = ['eidas0', 'eidas1', 'eidas2', 'eidas3'].includes(text('acr')) ? text('acr') : 'eidas1';
    return { kind, identity: { sub, given_name: text('given_name'), family_name: text('family_name'), birthdate, email, acr } };
  }
  if (!text('usual_name')) return null;
  return {
    kind,
    identity: { sub, given_name: text('given_name'), usual_name: text('usual_name'), email, uid: sub, note: 'Identité saisie' },
  };
}
