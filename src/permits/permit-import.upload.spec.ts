import type { NextFunction, Request, Response } from 'express';
import { PassThrough } from 'node:stream';
import type { Principal } from '../auth/principal';
import { MAX_IMPORT_CSV_BYTES } from './permit-import.rules';
import { CSV_TOO_LARGE, type ImportFiles, ImportUploadMiddleware, mayUploadImport } from './permit-import.upload';

const BOUNDARY = 'p2v-boundary';

/** The request as the middleware leaves it. */
type Uploaded = Request & { files?: ImportFiles; uploadError?: string };

function multipart(parts: { field: string; file: string; content: Buffer }[]): Buffer {
  return Buffer.concat([
    ...parts.flatMap((p) => [
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.file}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      p.content,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
}

/** A request for the import URL carrying this body; `read()` tells whether anything consumed it. */
function request(principal: Principal | undefined, body: Buffer, code = 'LDZ') {
  const stream = new PassThrough();
  let consumed = false;
  stream.on('resume', () => (consumed = true));
  const req = Object.assign(stream, {
    principal,
    originalUrl: `/etablissements/${code}/permis/import`,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) },
  }) as unknown as Uploaded;
  stream.end(body);
  return { req, consumed: () => consumed };
}

function run(req: Request): Promise<void> {
  const middleware = new ImportUploadMiddleware();
  return new Promise((resolve, reject) => {
    const next: NextFunction = (e?: unknown) => (e ? reject(e instanceof Error ? e : new Error('next(error)')) : resolve());
    middleware.use(req, {} as Response, next);
  });
}

const agent = (role: 'PERMITS_OFFICER' | 'HEAD_OF_ESTABLISHMENT' | 'PARLOIR_AGENT', code = 'LDZ'): Principal => ({
  kind: 'agent',
  id: 'a1',
  displayName: 'Ştefan Popescu',
  email: 'a@justice.fr',
  grants: [{ establishmentId: 'e1', establishmentCode: code, establishmentName: 'CP', role }],
  oversight: [],
});
const family: Principal = { kind: 'family', id: 'f1', displayName: 'Łucja Nguyễn', email: null, mobilePhone: null, language: null };
const csv = (bytes: number) => multipart([{ field: 'csv', file: 'permis.csv', content: Buffer.alloc(bytes, 'a') }]);

describe('the import upload: nothing is read unless the principal may import here', () => {
  it('only a permits officer or the head of the establishment in the URL may upload', () => {
    expect(mayUploadImport(agent('PERMITS_OFFICER'), 'LDZ')).toBe(true);
    expect(mayUploadImport(agent('HEAD_OF_ESTABLISHMENT'), 'LDZ')).toBe(true);
    expect(mayUploadImport(agent('PARLOIR_AGENT'), 'LDZ')).toBe(false);
    expect(mayUploadImport(agent('PERMITS_OFFICER', 'OTHER'), 'LDZ')).toBe(false);
    expect(mayUploadImport(family, 'LDZ')).toBe(false);
    expect(mayUploadImport(undefined, 'LDZ')).toBe(false);
  });

  it('a family, an agent of another establishment or without the role: the body is not read, no file kept', async () => {
    for (const principal of [family, agent('PERMITS_OFFICER', 'OTHER'), agent('PARLOIR_AGENT'), undefined]) {
      const { req, consumed } = request(principal, csv(1000));
      await run(req);
      expect(consumed()).toBe(false);
      expect(req.files).toBeUndefined();
      expect(req.uploadError).toBeUndefined();
    }
  });

  it('a permits officer: the CSV is read; over 2 MB it is refused with a French message and not kept', async () => {
    const ok = request(agent('PERMITS_OFFICER'), csv(1000));
    await run(ok.req);
    expect(ok.consumed()).toBe(true);
    expect(ok.req.files?.csv?.[0].buffer.length).toBe(1000);
    const big = request(agent('HEAD_OF_ESTABLISHMENT'), csv(MAX_IMPORT_CSV_BYTES + 1));
    await run(big.req);
    expect(big.req.uploadError).toBe(CSV_TOO_LARGE);
    expect(CSV_TOO_LARGE).toBe('Le fichier CSV dépasse 2 Mo : découpez-le.');
    expect(big.req.files?.csv?.[0]?.buffer).toBeUndefined();
  });
});
