import { navigation } from './principal.middleware';
import type { StaffRole } from './roles';

const agent = (grants: [string, StaffRole][]) => ({
  kind: 'agent' as const,
  id: 'a',
  displayName: 'Zofia Kowalska',
  email: 'z@example.fr',
  grants: grants.map(([code, role]) => ({ establishmentId: code, establishmentCode: code, establishmentName: code, role })),
});

describe('navigation', () => {
  it('groups a section of two links or more under one button, so that the head’s menu fits a tablet', () => {
    const nav = navigation(agent([['CPNORD', 'HEAD_OF_ESTABLISHMENT']]));
    expect(nav.map((e) => e.label)).toEqual(['Tableau de bord', 'Personnes détenues', 'Permis', 'UVF et PF', 'Visio']);
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
    );
    expect(nav.find((e) => e.label === 'Demandes UVF et parloirs familiaux (CPNORD)')).toEqual({
      href: '/etablissements/CPNORD/uvf/demandes',
      label: 'Demandes UVF et parloirs familiaux (CPNORD)',
    });
    expect(nav.map((e) => e.label)).toContain('UVF et PF (MASUD)');
    expect(nav.map((e) => e.label)).toContain('Permis (CPNORD)');
  });
});
