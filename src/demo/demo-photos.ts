import { createHash, randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import sharp from 'sharp';
import type { DocumentStore } from '../common/document-store';

/**
 * The permit photos of the demo's visitors of the day (seed.ts, seedVisitDay), so that the arrival
 * check at the visiting room shows the face to compare: drawn portraits, no real person's. Each has
 * a fixed storage key, the same in every database seeded by the demo (a copy of a seeded database
 * finds its files), written in the app's documents folder, encrypted with its key, when missing.
 */
export interface DemoPhoto {
  /** The visitor, as seedVisitDay names them. */
  givenName: string;
  familyName: string;
  storageKey: string;
  sha256: string;
  sizeBytes: number;
}

interface Portrait {
  givenName: string;
  familyName: string;
  skin: string;
  hair: string;
  longHair: boolean;
  background: string;
  shirt: string;
}

/** The demo's visitors of the day (seed.ts VISITORS), each drawn with their own look. */
const PORTRAITS: readonly Portrait[] = [
  { givenName: 'Amina', familyName: 'Benali', skin: '#c68642', hair: '#2b1d14', longHair: true, background: '#dfe8f1', shirt: '#6a4c93' },
  {
    givenName: 'Yasmine',
    familyName: 'Benali',
    skin: '#c68642',
    hair: '#4a2c1a',
    longHair: false,
    background: '#f1e6df',
    shirt: '#1982c4',
  },
  { givenName: 'Pierre', familyName: 'Martin', skin: '#f1c27d', hair: '#b8b8b8', longHair: false, background: '#e3eee3', shirt: '#33415c' },
  { givenName: 'Sophie', familyName: 'Lemaire', skin: '#ffdbac', hair: '#a0522d', longHair: true, background: '#ece3f1', shirt: '#8ac926' },
  { givenName: 'Jean', familyName: 'Lemaire', skin: '#e0ac69', hair: '#8d8d8d', longHair: false, background: '#e8e8e8', shirt: '#7f5539' },
  { givenName: 'Fatou', familyName: 'Diallo', skin: '#8d5524', hair: '#111111', longHair: true, background: '#f3ecd9', shirt: '#ff595e' },
];

/** Fixed storage keys (UUID-shaped, one shard): demo-photo 1 to 6. */
const storageKeyOf = (i: number) => `de300000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;

function portraitSvg(p: Portrait): string {
  const longHair = p.longHair ? `<path d="M78 160 C70 60 230 60 222 160 L236 310 L64 310 Z" fill="${p.hair}"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="375" viewBox="0 0 300 375">
  <rect width="300" height="375" fill="${p.background}"/>
  ${longHair}
  <path d="M24 375 C34 300 88 272 150 272 C212 272 266 300 276 375 Z" fill="${p.shirt}"/>
  <rect x="127" y="222" width="46" height="62" rx="14" fill="${p.skin}"/>
  <rect x="127" y="222" width="46" height="62" rx="14" fill="#000" opacity="0.12"/>
  <ellipse cx="88" cy="168" rx="11" ry="19" fill="${p.skin}"/>
  <ellipse cx="212" cy="168" rx="11" ry="19" fill="${p.skin}"/>
  <ellipse cx="150" cy="162" rx="63" ry="80" fill="${p.skin}"/>
  <path d="M84 162 C72 44 228 44 216 162 C208 118 178 102 150 102 C122 102 92 118 84 162 Z" fill="${p.hair}"/>
  <path d="M112 142 Q126 134 140 142" stroke="${p.hair}" stroke-width="5" fill="none" stroke-linecap="round"/>
  <path d="M160 142 Q174 134 188 142" stroke="${p.hair}" stroke-width="5" fill="none" stroke-linecap="round"/>
  <ellipse cx="126" cy="160" rx="10" ry="6" fill="#ffffff"/><circle cx="126" cy="160" r="4.5" fill="#2f1e12"/>
  <ellipse cx="174" cy="160" rx="10" ry="6" fill="#ffffff"/><circle cx="174" cy="160" r="4.5" fill="#2f1e12"/>
  <path d="M150 166 L142 196 Q150 201 158 196" stroke="#000" stroke-opacity="0.25" stroke-width="3" fill="none" stroke-linecap="round"/>
  <path d="M130 214 Q150 228 170 214" stroke="#7a2e2e" stroke-width="5" fill="none" stroke-linecap="round"/>
</svg>`;
}

/** The JPEG of a portrait, as a permit photo is stored. */
export function demoPortrait(i: number): Promise<Buffer> {
  return sharp(Buffer.from(portraitSvg(PORTRAITS[i])))
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * The demo photos in this store: each file read back if it is there and opens with the store's key,
 * written otherwise (under a temporary name, then renamed: another app starting on the same folder
 * never reads half a file).
 */
export async function ensureDemoPhotos(store: DocumentStore): Promise<DemoPhoto[]> {
  const photos: DemoPhoto[] = [];
  for (const [i, p] of PORTRAITS.entries()) {
    const storageKey = storageKeyOf(i);
    let content = await store.get(storageKey).catch(() => null);
    if (!content) {
      content = await demoPortrait(i);
      const temporary = `${storageKey.slice(0, 2)}${randomUUID().slice(2)}`;
      await store.put(content, temporary);
      await rename(store.filePath(temporary), store.filePath(storageKey));
    }
    photos.push({
      givenName: p.givenName,
      familyName: p.familyName,
      storageKey,
      sha256: createHash('sha256').update(content).digest('hex'),
      sizeBytes: content.length,
    });
  }
  return photos;
}
