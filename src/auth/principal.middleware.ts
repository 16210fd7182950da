import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AgentsService } from '../agents/agents.service';
import { FamiliesService } from '../families/families.service';
import { ROLE_LABELS } from './roles';
import type { Principal, SessionUser } from './principal';

interface NavItem {
  href: string;
  label: string;
}

/** Loads the signed-in user and their current roles, and what the layout shows for them. */
@Injectable()
export class PrincipalMiddleware implements NestMiddleware {
  constructor(
    private readonly families: FamiliesService,
    private readonly agents: AgentsService,
  ) {}

  async use(req: Request, res: Response, next: NextFunction) {
    try {
      const user = (req.session as unknown as { passport?: { user?: SessionUser } } | undefined)?.passport?.user;
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
      const account = await this.families.find(user.id);
      return account ? { kind: 'family', id: account.id, displayName: `${account.givenName} ${account.familyName}` } : undefined;
    }
    const agent = await this.agents.signedIn(user.id);
    if (!agent) return undefined;
    return { kind: 'agent', id: agent.id, displayName: `${agent.firstName} ${agent.lastName}`, email: agent.email, grants: agent.grants };
  }
}

export function navigation(principal?: Principal): NavItem[] {
  if (!principal) return [];
  if (principal.kind === 'family')
    return [
      { href: '/mon-espace', label: 'Mon espace' },
      { href: '/demandes', label: 'Mes demandes de permis' },
      { href: '/permis', label: 'Mes permis' },
      { href: '/visites', label: 'Mes visites' },
      { href: '/mes-rendez-vous', label: 'Mes rendez-vous' },
      { href: '/uvf', label: 'UVF et parloirs familiaux' },
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
    if (roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT') || roles.includes('PARLOIR_AGENT')) {
      items.push({
        href: `/etablissements/${code}/permis`,
        label: codes.length > 1 ? `Registre des permis (${code})` : 'Registre des permis',
      });
    }
    if (roles.includes('PERMITS_OFFICER')) {
      items.push({
        href: `/etablissements/${code}/uvf/demandes`,
        label: codes.length > 1 ? `Demandes UVF et parloirs familiaux (${code})` : 'Demandes UVF et parloirs familiaux',
      });
    }
    if (roles.includes('PARLOIR_AGENT') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/uvf/planning`,
        label: codes.length > 1 ? `Planning UVF et PF (${code})` : 'Planning UVF et PF',
      });
      items.push({
        href: `/etablissements/${code}/uvf/sejours`,
        label: codes.length > 1 ? `Séjours du jour (${code})` : 'Séjours du jour',
      });
    }
    if (roles.includes('SPIP_COUNSELLOR') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/uvf/dossiers`,
        label: codes.length > 1 ? `Dossiers UVF et parloirs familiaux (${code})` : 'Dossiers UVF et parloirs familiaux',
      });
      items.push({
        href: `/etablissements/${code}/uvf/droit-trimestriel`,
        label: codes.length > 1 ? `Droit trimestriel UVF / PF (${code})` : 'Droit trimestriel UVF / PF',
      });
    }
    if (roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/delegations`,
        label: codes.length > 1 ? `Délégations de signature (${code})` : 'Délégations de signature',
      });
    }
    if (roles.includes('ACTIVITIES_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT') || roles.includes('ADMIN')) {
      items.push({
        href: `/etablissements/${code}/visio/parametres`,
        label: codes.length > 1 ? `Visio : paramètres (${code})` : 'Visio : paramètres',
      });
    }
    if (roles.includes('ACTIVITIES_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/visio/detenus`,
        label: codes.length > 1 ? `Visio : personnes détenues (${code})` : 'Visio : personnes détenues',
      });
      items.push({
        href: `/etablissements/${code}/visio/statistiques`,
        label: codes.length > 1 ? `Visio : statistiques (${code})` : 'Visio : statistiques',
      });
    }
    if (roles.includes('ADMIN')) {
      items.push({ href: `/etablissements/${code}/agents`, label: codes.length > 1 ? `Agents et rôles (${code})` : 'Agents et rôles' });
      items.push({ href: `/etablissements/${code}/messages`, label: codes.length > 1 ? `Messages envoyés (${code})` : 'Messages envoyés' });
      items.push({ href: `/etablissements/${code}/parloirs`, label: codes.length > 1 ? `Parloirs (${code})` : 'Parloirs' });
      items.push({
        href: `/etablissements/${code}/uvf/unites`,
        label: codes.length > 1 ? `Logements UVF et PF (${code})` : 'Logements UVF et PF',
      });
    }
  }
  return items;
}
