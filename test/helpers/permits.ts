import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFRawStream, PDFRef } from 'pdf-lib';
import { query } from './db';
import { onePagePdf, photoPng } from './files';
import { Agent, csrfOf } from './sign-in';

export async function newRequest(agent: Agent): Promise<string> {
  const page = await agent.get('/demandes').expect(200);
  const res = await agent
    .post('/demandes')
    .type('form')
    .send({ _csrf: csrfOf(page) })
    .expect(303);
  return /\/demandes\/([0-9a-f-]{36})\/etape\/1$/.exec(res.headers.location)![1];
}

export async function postStep(agent: Agent, id: string, step: number, fields: Record<string, string>) {
  const page = await agent.get(`/demandes/${id}/etape/${step}`).expect(200);
  return agent
    .post(`/demandes/${id}/etape/${step}`)
    .type('form')
    .send({ _csrf: csrfOf(page), ...fields });
}

export async function uploadStep(
  agent: Agent,
  id: string,
  step: number,
  file: Buffer,
  filename: string,
  fields: Record<string, string> = {},
) {
  const page = await agent.get(`/demandes/${id}/etape/${step}`).expect(200);
  let req = agent.post(`/demandes/${id}/etape/${step}`).field('_csrf', csrfOf(page));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('fichier', file, filename);
}

/** A family files a complete request for a condamné of CPNORD, through every step; returns its id and reference. */
export async function submitRequest(
  agent: Agent,
  visitor = { givenName: 'Lina', familyName: 'Martin', birthdate: '14/03/2016' },
): Promise<{ id: string; reference: string }> {
  const [d] = await query(
    `SELECT d.ecrou_number, d.last_name FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' AND d.legal_status = 'CONDAMNE' AND d.custody_status = 'PRESENT' ORDER BY d.ecrou_number LIMIT 1`,
  );
  const id = await newRequest(agent);
  const expect303 = (status: number, step: number) => {
    if (status !== 303) throw new Error(`step ${step} answered ${status}`);
  };
  expect303((await postStep(agent, id, 1, { establishment: 'CPNORD', ecrou: d.ecrou_number, lastName: d.last_name })).status, 1);
  expect303((await postStep(agent, id, 2, { understood: 'oui' })).status, 2);
  expect303((await postStep(agent, id, 3, { forWhom: 'autre', ...visitor })).status, 3);
  expect303((await postStep(agent, id, 4, { relationship: 'DESCENDANT' })).status, 4);
  expect303((await uploadStep(agent, id, 5, await photoPng(), 'photo.png')).status, 5);
  expect303((await uploadStep(agent, id, 6, await onePagePdf('CNI'), 'cni.pdf', { idType: 'PASSEPORT' })).status, 6);
  expect303((await uploadStep(agent, id, 7, await onePagePdf('Facture'), 'facture.pdf')).status, 7);
  expect303((await postStep(agent, id, 8, { comment: '' })).status, 8);
  expect303((await postStep(agent, id, 9, {})).status, 9);
  const [{ reference }] = await query(`SELECT reference FROM permit_requests WHERE id = $1`, [id]);
  return { id, reference };
}

/** The text a PDF shows (pdf-lib writes text as hex strings in flate-compressed content streams). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  const parts: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    for (const ref of refs) {
      const stream = doc.context.lookup(ref as PDFRef) as PDFRawStream;
      const raw = Buffer.from(stream.getContents());
      const content = (() => {
        try {
          return inflateSync(raw).toString('latin1');
        } catch {
          return raw.toString('latin1');
        }
      })();
      for (const m of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) parts.push(Buffer.from(m[1], 'hex').toString('latin1'));
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ');
}
