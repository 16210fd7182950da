import type { Response } from 'supertest';
import { page } from './html';
import type { Agent } from './sign-in';

/** Sends a GENESIS export on the import page: the preview (200), or the lines to correct (422). */
export async function previewGenesis(http: Agent, code: string, csv: string | Buffer, filename = 'genesis.csv'): Promise<Response> {
  const form = await http.get(`/etablissements/${code}/detenus/import`).expect(200);
  return http
    .post(`/etablissements/${code}/detenus/import`)
    .field('_csrf', page(form).csrf())
    .attach('fichier', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename, contentType: 'text/csv' });
}

/** « Importer ces changements » on a preview page, with the mass-release box ticked or not. */
export function confirmGenesis(http: Agent, preview: Response, o: { confirmMassRelease?: boolean } = {}): Promise<Response> {
  const p = page(preview);
  const action = p.$('form[action*="/detenus/apercus/"]').attr('action');
  if (!action) throw new Error(`No import preview on the page "${p.heading()}"`);
  return http
    .post(action)
    .type('form')
    .send({ _csrf: p.csrf(), ...(o.confirmMassRelease ? { confirmeSorties: 'oui' } : {}) });
}

/** Previews then imports a GENESIS export, as an administrator does (the mass-release box ticked when asked). */
export async function importGenesis(
  http: Agent,
  code: string,
  csv: string | Buffer,
  o: { filename?: string; confirmMassRelease?: boolean } = {},
): Promise<Response> {
  const preview = await previewGenesis(http, code, csv, o.filename);
  if (preview.status !== 200) return preview;
  return confirmGenesis(http, preview, { confirmMassRelease: o.confirmMassRelease ?? true });
}
