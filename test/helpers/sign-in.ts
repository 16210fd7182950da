import request from 'supertest';
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
  const action = /action="(\/demo-idp\/interaction\/[^"]+\/login)"/.exec(loginPage.text)?.[1];
  if (!action) throw new Error(`No identity form on the page:\n${loginPage.text.slice(0, 500)}`);
  const posted = await agent.post(action).type('form').send({ sub });
  if (![302, 303].includes(posted.status)) throw new Error(`Identity choice answered ${posted.status}`);
  return follow(agent, posted.headers.location);
}

/** Signs in for real through the app and the local OpenID provider; returns the signed-in agent. */
export async function signIn(baseUrl: string, sub: string): Promise<{ agent: Agent; landing: request.Response; visited: string[] }> {
  const isFamily = DEMO_FAMILIES.some((f) => f.sub === sub);
  if (!isFamily && !DEMO_AGENTS.some((a) => a.sub === sub)) throw new Error(`Unknown demo identity ${sub}`);
  const agent = request.agent(baseUrl);
  const start = await agent.get(isFamily ? '/connexion' : '/agents/connexion');
  if (start.status !== 302) throw new Error(`Sign-in start answered ${start.status}`);
  const { res: loginPage } = await follow(agent, start.headers.location);
  const { res: landing, visited } = await pickIdentity(agent, loginPage, sub);
  return { agent, landing, visited };
}

/** The CSRF token of the first form of a page. */
export function csrfOf(res: request.Response): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error('No CSRF token on the page');
  return token;
}
