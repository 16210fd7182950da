import request from 'supertest';
import { page } from './html';
import { DEMO_AGENTS, DEMO_FAMILIES } from '../../src/demo-idp/identities';

export type Agent = ReturnType<typeof request.agent>;

export const FAMILY = {
  camille: 'fc-demo-camille-martin',
  karim: 'fc-demo-karim-benali',
  lea: 'fc-demo-lea-dubois',
  weak: 'fc-demo-niveau-faible',
} as const;

export const STAFF = {
  admin: 'pc-demo-admin',
  permitsNord: 'pc-demo-greffe',
  parloirNord: 'pc-demo-parloir',
  spipNord: 'pc-demo-spip',
  headNord: 'pc-demo-chef',
  activitiesNord: 'pc-demo-activites',
  permitsSud: 'pc-demo-greffe-sud',
  dap: 'pc-demo-dap',
  dispNord: 'pc-demo-disp',
  unknown: 'pc-demo-inconnu',
} as const;

export function pathOf(location: string): string {
  const u = new URL(location, 'http://localhost');
  return u.pathname + u.search;
}

/** Follows redirects inside the app (cookies kept by the agent) until a non-redirect answer. */
export async function follow(agent: Agent, location: string, max = 12) {
  let res = await agent.get(pathOf(location));
  const visited = [pathOf(location)];
  for (let i = 0; i < max && [301, 302, 303].includes(res.status); i++) {
    visited.push(pathOf(res.headers.location));
    res = await agent.get(pathOf(res.headers.location));
  }
  return { res, visited };
}

/** Picks an identity on the demo provider's page, as a person would, and returns the final page. */
export async function pickIdentity(agent: Agent, loginPage: request.Response, sub: string) {
  const action = identityFormAction(loginPage);
  const posted = await agent.post(action).type('form').send({ sub });
  if (![302, 303].includes(posted.status)) throw new Error(`Identity choice answered ${posted.status}`);
  return follow(agent, posted.headers.location);
}

/**
 * Signs in for real: the app's sign-in, the local OpenID provider's page, the identity picked, the
 * callback (code, tokens, signed userinfo); returns the signed-in agent, its last page and the way.
 * For the tests of signing in itself; the others use `signIn`.
 */
export async function signInThroughProvider(
  baseUrl: string,
  sub: string,
): Promise<{ agent: Agent; landing: request.Response; visited: string[] }> {
  const isFamily = DEMO_FAMILIES.some((f) => f.sub === sub);
  if (!isFamily && !DEMO_AGENTS.some((a) => a.sub === sub)) throw new Error(`Unknown demo identity ${sub}`);
  const agent = request.agent(baseUrl);
  const start = await agent.get(isFamily ? '/connexion' : '/agents/connexion');
  if (start.status !== 302) throw new Error(`Sign-in start answered ${start.status}`);
  const { res: loginPage } = await follow(agent, start.headers.location);
  const { res: landing, visited } = await pickIdentity(agent, loginPage, sub);
  return { agent, landing, visited };
}

/**
 * Starts a session as a demo identity (`sub`) or a typed one (the demo provider's fields) through the
 * tests' session endpoint (src/demo/test-session.ts): the app's own account look-up and session, without
 * the OpenID exchange, which test/auth.e2e-spec.ts proves. Returns the agent and the home page it lands on.
 */
async function startSession(
  baseUrl: string,
  fields: Record<string, string>,
): Promise<{ agent: Agent; landing: request.Response; visited: string[] }> {
  const agent = request.agent(baseUrl);
  const posted = await agent.post('/__test__/session').type('form').send(fields);
  if (posted.status !== 303) throw new Error(`Test session answered ${posted.status}: ${posted.text}`);
  const { res: landing, visited } = await follow(agent, posted.headers.location);
  return { agent, landing, visited };
}

/** Signs in as a demo identity (see FAMILY, STAFF): the session a real sign-in leaves, without the OpenID exchange. */
export function signIn(baseUrl: string, sub: string): Promise<{ agent: Agent; landing: request.Response; visited: string[] }> {
  const isFamily = DEMO_FAMILIES.some((f) => f.sub === sub);
  if (!isFamily && !DEMO_AGENTS.some((a) => a.sub === sub)) throw new Error(`Unknown demo identity ${sub}`);
  return startSession(baseUrl, { provider: isFamily ? 'franceconnect' : 'proconnect', sub });
}

/** The CSRF token of the first form of a page. */
export function csrfOf(res: request.Response): string {
  return page(res).csrf();
}

/** Where the demo provider's page posts the identity chosen or typed. */
function identityFormAction(loginPage: request.Response): string {
  const action = page(loginPage).$('form[action^="/demo-idp/interaction/"][action$="/login"]').first().attr('action');
  if (!action) throw new Error(`No identity form on the demo provider's page:\n${loginPage.text.slice(0, 500)}`);
  return action;
}

/** A person typed on the demo provider's page ("Une autre identité"): any name, any script. */
export interface FamilyIdentity {
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ */
  birthdate: string;
  email: string;
  acr?: string;
}

export interface AgentIdentity {
  givenName: string;
  usualName: string;
  email: string;
}

async function signInTyped(baseUrl: string, path: string, fields: Record<string, string>): Promise<Agent> {
  const agent = request.agent(baseUrl);
  const start = await agent.get(path);
  if (start.status !== 302) throw new Error(`Sign-in start answered ${start.status}`);
  const { res: loginPage } = await follow(agent, start.headers.location);
  const action = identityFormAction(loginPage);
  const posted = await agent
    .post(action)
    .type('form')
    .send({ custom: '1', ...fields });
  if (![302, 303].includes(posted.status)) throw new Error(`Identity answered ${posted.status}: ${posted.text}`);
  const { res } = await follow(agent, posted.headers.location);
  if (res.status !== 200) throw new Error(`Sign-in ended with ${res.status}`);
  return agent;
}

function familyFields(who: FamilyIdentity): Record<string, string> {
  return {
    given_name: who.givenName,
    family_name: who.familyName,
    birthdate: who.birthdate,
    email: who.email,
    acr: who.acr ?? 'eidas1',
  };
}

/** Signs a family in as this person (the account is created on first sign-in), without the OpenID exchange. */
export async function signInFamily(baseUrl: string, who: FamilyIdentity): Promise<Agent> {
  const { agent, landing } = await startSession(baseUrl, { provider: 'franceconnect', ...familyFields(who) });
  if (landing.status !== 200) throw new Error(`Sign-in ended with ${landing.status}`);
  return agent;
}

/** Signs an agent in (the agent must exist with a role: see factories), without the OpenID exchange. */
export async function signInAgent(baseUrl: string, who: AgentIdentity): Promise<Agent> {
  const { agent, landing } = await startSession(baseUrl, {
    provider: 'proconnect',
    given_name: who.givenName,
    usual_name: who.usualName,
    email: who.email,
  });
  if (landing.status !== 200) throw new Error(`Sign-in ended with ${landing.status}`);
  return agent;
}

/** Signs a family in through FranceConnect (the demo provider's page) as this person: for the tests of signing in. */
export function signInFamilyThroughProvider(baseUrl: string, who: FamilyIdentity): Promise<Agent> {
  return signInTyped(baseUrl, '/connexion', familyFields(who));
}

/** Signs an agent in through ProConnect (the demo provider's page): for the tests of signing in. */
export function signInAgentThroughProvider(baseUrl: string, who: AgentIdentity): Promise<Agent> {
  return signInTyped(baseUrl, '/agents/connexion', { given_name: who.givenName, usual_name: who.usualName, email: who.email });
}
