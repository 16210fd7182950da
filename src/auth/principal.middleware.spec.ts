import { join } from 'node:path';
import { Translations } from '../common/i18n';
import { projectRoot } from '../common/project-root';
import { navigation } from './principal.middleware';
import type { StaffRole } from './roles';

const agent = (grants: [string, StaffRole][]) => ({
  kind: 'agent' as const,
  id: 'a',
  displayName: 'Zofia Kowalska',
  email: 'z@example.fr',
  grants: grants.map(([code, role]) => ({ establishmentId: code, establishmentCode: code, establishmentName: code, role })),
  oversight: [],
});

const translations = Translations.load(join(projectRoot(), 'locales'));
const french = translations.t('fr');

describe('navigation', () => {
  it('groups a section of two links or more under one button, so that the head’s menu fits a tablet', () => {
    const nav = navigation(agent([['CPNORD', 'HEAD_OF_ESTABLISHMENT']]), french);
    expect(nav.map((e) => e.label)).toEqual([
      'Tableau de bord',
      'Personnes détenues',
      'Empêchements et incidents',
      'Permis',
      'UVF et PF',
      'Visio',
    ]);
    const uvf = nav.find((e) => e.label === 'UVF et PF');
    expect(uvf && 'children' in uvf ? uvf.children.map((c) => c.href) : []).toEqual([
      '/etablissements/CPNORD/uvf/planning',
      '/etablissements/CPNORD/uvf/sejours',
      '/etablissements/CPNORD/uvf/dossiers',
      '/etablissements/CPNORD/uvf/droit-trimestriel',
    ]);
  });

  it('keeps a section of one link as a link, and names the establishment when there are several', () => {
    const nav = navigation(
      agent([
        ['CPNORD', 'PERMITS_OFFICER'],
        ['MASUD', 'SPIP_COUNSELLOR'],
      ]),
      french,
    );
    expect(nav.find((e) => e.label === 'Demandes UVF et parloirs familiaux (CPNORD)')).toEqual({
      href: '/etablissements/CPNORD/uvf/demandes',
      label: 'Demandes UVF et parloirs familiaux (CPNORD)',
    });
    expect(nav.map((e) => e.label)).toContain('UVF et PF (MASUD)');
    expect(nav.map((e) => e.label)).toContain('Permis (CPNORD)');
  });

  it('gives the activities officer and the head the video calls to close in the « Visio » section, not the parloir agent', () => {
    for (const role of ['ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT'] as const) {
      const visio = navigation(agent([['CPNORD', role]]), french).find((e) => e.label === 'Visio');
      expect(visio && 'children' in visio ? visio.children : []).toContainEqual({
        href: '/etablissements/CPNORD/visio/a-cloturer',
        label: 'Visio : appels à clôturer',
      });
    }
    const links = JSON.stringify(navigation(agent([['CPNORD', 'PARLOIR_AGENT']]), french));
    expect(links).not.toContain('a-cloturer');
  });

  it('names a family’s pages in its language, a staff member’s in French', () => {
    const family = { kind: 'family' as const, id: 'f', displayName: 'Ana', email: null, mobilePhone: null, language: null };
    expect(navigation(family, translations.t('es')).map((e) => e.label)).toEqual([
      'Mi espacio',
      'Mis solicitudes de permiso',
      'Mis permisos',
      'Mis visitas y citas',
      'Unidades de vida familiar y locutorios familiares',
      'Mis datos',
      '¿Cómo funciona?',
    ]);
    expect(navigation(family, translations.t('ar'))[0]).toEqual({ href: '/mon-espace', label: 'مساحتي' });
  });
});
