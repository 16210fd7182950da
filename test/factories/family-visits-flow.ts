import { page, type HtmlPage } from '../helpers/html';
import { binary, pdfText } from '../helpers/permits';
import { type Agent, signInAgent } from '../helpers/sign-in';
import { insertAgent, type StaffRole } from './people';

/**
 * Helpers of the whole UVF / PF procedure through HTTP (test/family-visits-flow.e2e-spec.ts): the
 * establishment's staff signed in, forms posted with the CSRF token of the page they are on, files
 * uploaded as a browser sends them, options chosen by the label a person reads, letters read as PDF.
 */

export type Staff = Record<'admin' | 'greffe' | 'spip' | 'head' | 'parloir', Agent>;

/** One agent per role of the procedure in the establishment (names outside Latin-1), each signed in. */
export async function staffOf(appUrl: string, establishmentId: string): Promise<Staff> {
  const one = async (role: StaffRole, givenName: string, usualName: string) =>
    signInAgent(appUrl, await insertAgent([{ establishmentId, role }], { givenName, usualName }));
  return {
    admin: await one('ADMIN', 'Oğuz', 'Çelik'),
    greffe: await one('PERMITS_OFFICER', 'Thị Lan', 'Nguyễn'),
    spip: await one('SPIP_COUNSELLOR', 'Małgorzata', 'Wójcik'),
    head: await one('HEAD_OF_ESTABLISHMENT', 'Zofia', 'Łukasiewicz'),
    parloir: await one('PARLOIR_AGENT', 'Şebnem', 'Aydın'),
  };
}

/** Opens `from` as `who`, then posts its form to `action` with these fields and the page's CSRF token. */
export async function submit(who: Agent, from: string, action: string, fields: Record<string, string | string[]>) {
  const csrf = page(await who.get(from).expect(200)).csrf();
  return who
    .post(action)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

/** Opens `from` as `who`, then sends a file to `action` (multipart, field `fichier`) with these fields and the page's CSRF token. */
export async function upload(who: Agent, from: string, action: string, fields: Record<string, string>, file: Buffer, filename: string) {
  const csrf = page(await who.get(from).expect(200)).csrf();
  let req = who.post(action).field('_csrf', csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('fichier', file, filename);
}

/** Opens a page as `who` (200 expected). */
export async function open(who: Agent, url: string): Promise<HtmlPage> {
  return page(await who.get(url).expect(200));
}

/** The value of the option of select `name` whose label contains `label`. */
export function optionOf(p: HtmlPage, name: string, label: string): string {
  const option = p
    .$(`select[name="${name}"] option`)
    .toArray()
    .find((o) => p.$(o).text().includes(label));
  const value = option && p.$(option).attr('value');
  if (!value) throw new Error(`No option "${label}" in the select "${name}" on the page "${p.heading()}"`);
  return value;
}

/** The href of the element marked `data-testid="<id>"` whose text contains `text`. */
export function hrefOf(p: HtmlPage, testId: string, text: string): string {
  const el = p
    .testId(testId)
    .toArray()
    .find((e) => p.$(e).text().replace(/\s+/g, ' ').includes(text));
  const a = el && (p.$(el).is('a') ? p.$(el) : p.$(el).find('a').first());
  const href = a?.attr('href');
  if (!href) throw new Error(`No link in [data-testid="${testId}"] with "${text}" on the page "${p.heading()}"`);
  return href;
}

/** A letter's text as a reader copies it from the PDF the agent or the family downloads. */
export async function pdfOf(who: Agent, url: string): Promise<string> {
  const res = await who.get(url).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
  return (await pdfText(res.body as Buffer)).replace(/\s+/g, ' ');
}
