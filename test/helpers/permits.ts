import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import type { Response } from 'superagent';
import { APP_START_TIMEOUT, type DocumentsDir, sharedApp, startTestApp, TestApp } from './app';
import { serverUrl } from './db';
import { page } from './html';
import type { Agent } from './sign-in';

/** The folder and key the app stores permit documents with (factories write files the app can read). */
export type { DocumentsDir };

/**
 * A test file's app with a documents folder and key: on a PostgreSQL server the worker's shared app
 * (its folder emptied by the reset), on the embedded database an app of its own with a new folder.
 */
export function permitsApp(): { app: TestApp; docs: DocumentsDir } {
  const suite = { docs: { dir: '', key: Buffer.alloc(0) } } as { app: TestApp; docs: DocumentsDir };
  let own = false;
  beforeAll(async () => {
    if (serverUrl()) {
      const shared = await sharedApp();
      suite.app = shared;
      Object.assign(suite.docs, shared.docs);
      return;
    }
    own = true;
    Object.assign(suite.docs, { dir: mkdtempSync(join(tmpdir(), 'p2v-docs-')), key: randomBytes(32) });
    suite.app = await startTestApp({ DOCUMENTS_DIR: suite.docs.dir, DOCUMENTS_KEY: suite.docs.key.toString('base64') });
  }, APP_START_TIMEOUT);
  afterAll(async () => {
    await suite.app?.stop();
    if (own) rmSync(suite.docs.dir, { recursive: true, force: true });
  });
  return suite;
}

/** Every file under a folder. */
export function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** "Demander un permis de visite" on "Mes demandes": the new draft's id. */
export async function newRequest(agent: Agent): Promise<string> {
  const list = await agent.get('/demandes').expect(200);
  const res = await agent
    .post('/demandes')
    .type('form')
    .send({ _csrf: page(list).csrf() })
    .expect(303);
  const id = /^\/demandes\/([0-9a-f-]{36})\/etape\/1$/.exec(res.headers.location)?.[1];
  if (!id) throw new Error(`Unexpected redirect ${res.headers.location}`);
  return id;
}

/** Opens a step's page and sends its form with these fields. */
export async function postStep(agent: Agent, id: string, step: number, fields: Record<string, string | string[]>) {
  const form = await agent.get(`/demandes/${id}/etape/${step}`).expect(200);
  return agent
    .post(`/demandes/${id}/etape/${step}`)
    .type('form')
    .send({ _csrf: page(form).csrf(), ...fields });
}

/** Opens a step's page and sends its form with a file (and these fields). */
export async function uploadStep(
  agent: Agent,
  id: string,
  step: number,
  file: Buffer,
  filename: string,
  fields: Record<string, string> = {},
) {
  const form = await agent.get(`/demandes/${id}/etape/${step}`).expect(200);
  let req = agent.post(`/demandes/${id}/etape/${step}`).field('_csrf', page(form).csrf());
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('fichier', file, filename);
}

/**
 * The page a refused file leads to: the step's form sends the browser back to the step's page
 * (post/redirect/get), which shows the errors once, with status 400.
 */
export async function refusedUpload(agent: Agent, id: string, step: number, res: Response) {
  if (res.status !== 303 || res.headers.location !== `/demandes/${id}/etape/${step}`)
    throw new Error(`A refused file answered ${res.status} ${res.headers.location ?? ''}, not a redirect to its step`);
  return agent.get(res.headers.location).expect(400);
}

/** Reads a binary answer (a PDF, an image) whole: `.buffer(true).parse(binary)`. */
export function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

function streamText(doc: PDFDocument, ref: unknown): string {
  const raw = Buffer.from((doc.context.lookup(ref as PDFRef) as PDFRawStream).getContents());
  try {
    return inflateSync(raw).toString('latin1');
  } catch {
    return raw.toString('latin1');
  }
}

/** The glyph → text map of an embedded font (its ToUnicode CMap), or null for a standard font. */
function toUnicode(doc: PDFDocument, fontRef: unknown): Map<string, string> | null {
  const font = doc.context.lookup(fontRef as PDFRef, PDFDict);
  const map = font.get(PDFName.of('ToUnicode'));
  if (!map) return null;
  const glyphs = new Map<string, string>();
  const cmap = streamText(doc, map);
  const chars = cmap.slice(cmap.indexOf('beginbfchar'));
  for (const m of chars.matchAll(/<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>/g)) {
    glyphs.set(m[1].toLowerCase(), Buffer.from(m[2], 'hex').swap16().toString('utf16le'));
  }
  return glyphs;
}

const RTL_RUN = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]+(?:[ \u060C]+[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]+)*/gu;

/**
 * The text a PDF shows, as a reader copies it: the glyphs of each text-showing operator mapped back
 * to characters through the font's ToUnicode map (an embedded font writes glyph ids, not
 * characters), the pieces of one line (same baseline: runs of left-to-right and right-to-left text)
 * put together, lines joined by a space, right-to-left words (Arabic, Hebrew) put back in reading
 * order. A glyph the font does not have (.notdef, id 0) reads "□": a name drawn as empty boxes does
 * not pass for drawn.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  let text = '';
  for (const p of doc.getPages()) {
    const fonts = new Map<string, Map<string, string> | null>();
    const fontDict = p.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [name, ref] of fontDict?.entries() ?? []) fonts.set(name.asString(), toUnicode(doc, ref));
    const contents = p.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    let font: Map<string, string> | null | undefined;
    let line: string | null = null;
    let lineShown: string | null = null;
    for (const ref of refs) {
      const ops = /(\/[^\s/]+)\s+[\d.]+\s+Tf|(?:[-\d.]+\s+){5}([-\d.]+)\s+Tm|<([0-9A-Fa-f]*)>\s*Tj/g;
      for (const m of streamText(doc, ref).matchAll(ops)) {
        if (m[1]) font = fonts.get(m[1]);
        else if (m[2]) line = m[2];
        else {
          const shown = font
            ? (m[3].match(/.{4}/g) ?? []).map((g) => (g === '0000' ? '□' : (font!.get(g.toLowerCase()) ?? '□'))).join('')
            : Buffer.from(m[3], 'hex').toString('latin1');
          text += (text && line !== lineShown ? ' ' : '') + shown;
          lineShown = line;
        }
      }
    }
  }
  return text.replace(/\s+/g, ' ').replace(RTL_RUN, (run) => [...run].reverse().join(''));
}
