import { canonicalAddress, type RequestAddress } from './canonical-address';

const APP = 'https://p2v.justice.gouv.fr';
const get = (o: Partial<RequestAddress>): RequestAddress => ({
  method: 'GET',
  path: '/demandes',
  url: '/demandes?page=2',
  host: 'p2v.justice.gouv.fr',
  protocol: null,
  ...o,
});

describe('canonicalAddress', () => {
  it('serves a request on APP_URL’s host, whatever the case of the name or an explicit default port', () => {
    expect(canonicalAddress(APP, get({}))).toEqual({ kind: 'serve' });
    expect(canonicalAddress(APP, get({ host: 'P2V.Justice.Gouv.FR:443' }))).toEqual({ kind: 'serve' });
    expect(canonicalAddress('http://localhost:3000', get({ host: 'localhost:3000' }))).toEqual({ kind: 'serve' });
  });

  it('sends a GET or HEAD on another host to the same path and query on APP_URL', () => {
    expect(canonicalAddress(APP, get({ host: '10.0.3.7:3000' }))).toEqual({
      kind: 'redirect',
      location: 'https://p2v.justice.gouv.fr/demandes?page=2',
    });
    expect(canonicalAddress('http://localhost:3000', get({ method: 'HEAD', host: '127.0.0.1:3000', url: '/', path: '/' }))).toEqual({
      kind: 'redirect',
      location: 'http://localhost:3000/',
    });
    // Another port of the same name is another address.
    expect(canonicalAddress('http://localhost:3000', get({ host: 'localhost:3001' })).kind).toBe('redirect');
  });

  it('refuses a form sent to another host, with APP_URL’s home page to go to', () => {
    expect(canonicalAddress(APP, get({ method: 'POST', host: '127.0.0.1' }))).toEqual({
      kind: 'refuse',
      home: 'https://p2v.justice.gouv.fr/',
    });
  });

  it('behind a trusted proxy, the scheme it states counts too', () => {
    expect(canonicalAddress(APP, get({ protocol: 'https' }))).toEqual({ kind: 'serve' });
    expect(canonicalAddress(APP, get({ protocol: 'http' }))).toEqual({
      kind: 'redirect',
      location: 'https://p2v.justice.gouv.fr/demandes?page=2',
    });
  });

  it('never redirects elsewhere than APP_URL, whatever the host or target sent', () => {
    for (const host of [undefined, '', 'evil.example@p2v.justice.gouv.fr', 'p2v.justice.gouv.fr/x', 'p2v.justice.gouv.fr.evil.example'])
      expect(canonicalAddress(APP, get({ host }))).toEqual({ kind: 'redirect', location: 'https://p2v.justice.gouv.fr/demandes?page=2' });
    expect(canonicalAddress(APP, get({ host: 'x', url: 'http://evil.example/', path: '/' }))).toEqual({
      kind: 'redirect',
      location: 'https://p2v.justice.gouv.fr/',
    });
    expect(canonicalAddress(APP, get({ host: 'x', url: '//evil.example/a', path: '//evil.example/a' }))).toEqual({
      kind: 'redirect',
      location: 'https://p2v.justice.gouv.fr//evil.example/a',
    });
  });

  it('answers the health check and the video service’s API on any host', () => {
    expect(canonicalAddress(APP, get({ host: '10.0.3.7:3000', path: '/health', url: '/health' }))).toEqual({ kind: 'serve' });
    expect(
      canonicalAddress(APP, get({ method: 'POST', host: 'app:3000', path: '/api/visio/codes/verifier', url: '/api/visio/codes/verifier' })),
    ).toEqual({
      kind: 'serve',
    });
    expect(canonicalAddress(APP, get({ host: '10.0.3.7:3000', path: '/healthy', url: '/healthy' })).kind).toBe('redirect');
  });
});
