import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ROLE_LABELS } from './roles';
import type { Principal, SessionUser, StaffGrant } from './principal';

interface NavItem {
  href: string;
  label: string;
}

/** Loads the signed-in user and their current roles, and what the layout shows for them. */
@Injectable()
export class PrincipalMiddleware implements NestMiddleware {
  constructor(private readonly dataSource: DataSource) {}

  async use(req: Request, res: Response, next: NextFunction) {
    try {
      const user = (req.session as unknown as { passport?: { user?: SessionUser } })?.passport?.user;
      if (user) req.principal = await this.load(user);
      res.locals.principal = req.principal;
      res.locals.nav = navigation(req.principal);
      res.locals.roleLabels = ROLE_LABELS;
      next();
    } catch (e) {
      next(e);
    }
  }

  private async load(user: SessionUser): Promise<Principal | undefined> {
    if (user.kind === 'family') {
      const rows = await this.dataSource.query(`SELECT id, given_name, family_name FROM family_accounts WHERE id = $1`, [user.id]);
      return rows[0] ? { kind: 'family', id: rows[0].id, displayName: `${rows[0].given_name} ${rows[0].family_name}` } : undefined;
    }
    const rows = await this.dataSource.query(
      `SELECT a.id, a.first_name, a.last_name, a.email, e.id AS establishment_id, e.code, e.name, r.role
         FROM agents a
         LEFT JOIN role_assignments r ON r.agent_id = a.id
         LEFT JOIN establishments e ON e.id = r.establishment_id
        WHERE a.id = $1 AND a.active
        ORDER BY e.name, r.role`,
      [user.id],
    );
    if (!rows[0]) return undefined;
    const grants: StaffGrant[] = rows
      .filter((r: { role: string | null }) => r.role)
      .map((r: { establishment_id: string; code: string; name: string; role: StaffGrant['role'] }) => ({
        establishmentId: r.establishment_id,
        establishmentCode: r.code,
        establishmentName: r.name,
        role: r.role,
      }));
    return { kind: 'agent', id: rows[0].id, displayName: `${rows[0].first_name} ${rows[0].last_name}`, email: rows[0].email, grants };
  }
}

export function navigation(principal?: Principal): NavItem[] {
  if (!principal) return [];
  if (principal.kind === 'family')
    return [
      { href: '/mon-espace', label: 'Mon espace' },
      { href: '/demandes', label: 'Mes demandes de permis' },
      { href: '/visites', label: 'Mes visites' },
      { href: '/mes-rendez-vous', label: 'Mes rendez-vous' },
    ];
  const items: NavItem[] = [{ href: '/agents', label: 'Tableau de bord' }];
  const codes = [...new Set(principal.grants.map((g) => g.establishmentCode))];
  for (const code of codes) {
    const roles = principal.grants.filter((g) => g.establishmentCode === code).map((g) => g.role);
    items.push({
      href: `/etablissements/${code}/detenus`,
      label: codes.length > 1 ? `Personnes détenues (${code})` : 'Personnes détenues',
    });
    if (roles.includes('PARLOIR_AGENT')) {
      items.push({ href: `/etablissements/${code}/parloir`, label: codes.length > 1 ? `Parloir du jour (${code})` : 'Parloir du jour' });
    }
    if (roles.includes('PARLOIR_AGENT') || roles.includes('PERMITS_OFFICER')) {
      items.push({
        href: `/etablissements/${code}/visites/reserver`,
        label: codes.length > 1 ? `Réserver une visite (${code})` : 'Réserver une visite',
      });
    }
    if (roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/permis/demandes`,
        label: codes.length > 1 ? `Demandes de permis (${code})` : 'Demandes de permis',
      });
    }
    if (roles.includes('ADMIN')) {
      items.push({ href: `/etablissements/${code}/agents`, label: codes.length > 1 ? `Agents et rôles (${code})` : 'Agents et rôles' });
      items.push({ href: `/etablissements/${code}/messages`, label: codes.length > 1 ? `Messages envoyés (${code})` : 'Messages envoyés' });
      items.push({ href: `/etablissements/${code}/parloirs`, label: codes.length > 1 ? `Parloirs (${code})` : 'Parloirs' });
    }
  }
  return items;
}
