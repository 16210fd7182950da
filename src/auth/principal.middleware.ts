import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AgentsService } from '../agents/agents.service';
import {
  cookieLanguage,
  direction,
  inLanguage,
  isLanguage,
  type Language,
  LANGUAGE_NAMES,
  LANGUAGES,
  pageLanguage,
  perLanguage,
  Translations,
  type Translate,
} from '../common/i18n';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FamiliesService } from '../families/families.service';
import { DETAINEE_LIST_ROLES, ROLE_LABELS } from './roles';
import type { Principal, SessionUser } from './principal';
import { sessionOutlived } from './session-lifetime';

interface NavItem {
  href: string;
  label: string;
  /** The menu's section: its links are grouped under one button (DSFR « menu ») when there are two or more. */
  group?: 'Empêchements et incidents' | 'Permis' | 'UVF et PF' | 'Visio' | 'Administration';
}

/** An entry of the header's menu: a link, or a section opening its links. */
export type NavEntry = { href: string; label: string } | { label: string; id: string; children: { href: string; label: string }[] };

/** Loads the signed-in user and their current roles, and what the layout shows for them. */
@Injectable()
export class PrincipalMiddleware implements NestMiddleware {
  /** The family's menu, built once per language and shared, frozen. */
  private readonly familyMenu = perLanguage((language) => familyNavigation(this.translations.t(language)));

  constructor(
    private readonly families: FamiliesService,
    private readonly translations: Translations,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async use(req: Request, res: Response, next: NextFunction) {
    let language: Language;
    try {
      let user = (req.session as unknown as { passport?: { user?: SessionUser } } | undefined)?.passport?.user;
      if (user && sessionOutlived(req.session.signedInAt, Date.now(), this.config.sessionAbsoluteHours)) {
        // Past its absolute lifetime: the stored session is destroyed and the request goes on signed out.
        await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e as Error) : resolve())));
        req.user = undefined;
        user = undefined;
        res.locals.sessionExpired = true;
      }
      if (user) req.principal = await this.load(user);
      if (user?.kind === 'family' && !req.principal) {
        // The family closed its account (« Mes données ») or it is gone: every session of it ends here.
        await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e as Error) : resolve())));
        req.user = undefined;
      }
      language = await this.language(req);
      const t = this.translations.t(language);
      req.language = language;
      Object.assign(res.locals, { lang: language, dir: direction(language) });
      // The language selector: on the family side and the public pages, never on staff pages.
      if (req.principal?.kind !== 'agent') res.locals.languageChoices = languageChoices(language, req.originalUrl);
      res.locals.principal = req.principal;
      res.locals.nav = req.principal?.kind === 'family' ? this.familyMenu(language) : navigation(req.principal, t);
      res.locals.roleLabels = ROLE_LABELS;
    } catch (e) {
      return next(e);
    }
    // The rest of the request (its handler, its page) in its language: the templates' `t` reads it.
    inLanguage(language, () => next());
  }

  /** The page's language (pageLanguage); a family's account remembers it for its messages once it is known or changed. */
  private async language(req: Request): Promise<Language> {
    const principal = req.principal;
    const language = pageLanguage({
      staff: principal?.kind === 'agent',
      cookie: cookieLanguage(req.headers.cookie),
      account: principal?.kind === 'family' ? principal.language : undefined,
      acceptLanguage: req.headers['accept-language'],
    });
    if (principal?.kind === 'family' && principal.language !== language) {
      await this.families.setLanguage(principal.id, language);
      principal.language = language;
    }
    return language;
  }

  private async load(user: SessionUser): Promise<Principal | undefined> {
    if (user.kind === 'family') {
      const account = await this.families.signedIn(user.id);
      return account && !account.closed
        ? {
            kind: 'family',
            id: account.id,
            displayName: `${account.givenName} ${account.familyName}`,
            email: account.email,
            mobilePhone: account.mobilePhone,
            language: isLanguage(account.language) ? account.language : null,
          }
        : undefined;
    }
    const agent = await this.agents.signedIn(user.id);
    if (!agent) return undefined;
    return {
      kind: 'agent',
      id: agent.id,
      displayName: `${agent.firstName} ${agent.lastName}`,
      email: agent.email,
      grants: agent.grants,
      oversight: agent.oversight,
    };
  }
}

/** The language selector's entries: each language in itself, the current one marked, back to the same page. */
export function languageChoices(current: Language, returnTo: string) {
  return LANGUAGES.map((code) => ({
    code,
    name: LANGUAGE_NAMES[code],
    current: code === current,
    href: `/langue/${code}?retour=${encodeURIComponent(returnTo)}`,
  }));
}

/** The family's menu, in its language (`t`): the same for every family. */
export function familyNavigation(t: Translate): NavEntry[] {
  return [
    { href: '/mon-espace', label: t('common:nav.home') },
    { href: '/demandes', label: t('common:nav.requests') },
    { href: '/permis', label: t('common:nav.permits') },
    { href: '/mes-rendez-vous', label: t('common:nav.appointments') },
    { href: '/uvf', label: t('common:nav.familyVisits') },
    { href: '/mes-donnees', label: t('common:nav.myData') },
    { href: '/comment-ca-marche', label: t('common:nav.how') },
  ];
}

/** The header's menu: the family's pages in its language (`t`), the staff's in French. */
export function navigation(principal: Principal | undefined, t: Translate): NavEntry[] {
  if (!principal) return [];
  if (principal.kind === 'family') return familyNavigation(t);
  const items: NavItem[] = [{ href: '/agents', label: 'Tableau de bord' }];
  if (principal.oversight.length > 0) items.push({ href: '/pilotage', label: 'Pilotage' });
  const codes = [...new Set(principal.grants.map((g) => g.establishmentCode))];
  for (const code of codes) {
    const roles = principal.grants.filter((g) => g.establishmentCode === code).map((g) => g.role);
    if (roles.some((r) => DETAINEE_LIST_ROLES.includes(r)))
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
    if (roles.includes('PARLOIR_AGENT') || roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/restrictions-visites`,
        label: codes.length > 1 ? `Détenus empêchés, cellule disciplinaire (${code})` : 'Détenus empêchés, cellule disciplinaire',
        group: 'Empêchements et incidents',
      });
    }
    if (roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/incidents`,
        label: codes.length > 1 ? `Comptes-rendus d’incident (${code})` : 'Comptes-rendus d’incident',
        group: 'Empêchements et incidents',
      });
    }
    if (roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/permis/demandes`,
        label: codes.length > 1 ? `Demandes de permis (${code})` : 'Demandes de permis',
        group: 'Permis',
      });
    }
    if (roles.includes('PERMITS_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT') || roles.includes('PARLOIR_AGENT')) {
      items.push({
        href: `/etablissements/${code}/permis`,
        label: codes.length > 1 ? `Registre des permis (${code})` : 'Registre des permis',
        group: 'Permis',
      });
    }
    if (roles.includes('PERMITS_OFFICER')) {
      items.push({
        href: `/etablissements/${code}/uvf/demandes`,
        label: codes.length > 1 ? `Demandes UVF et parloirs familiaux (${code})` : 'Demandes UVF et parloirs familiaux',
        group: 'UVF et PF',
      });
    }
    if (roles.includes('PARLOIR_AGENT') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/uvf/planning`,
        label: codes.length > 1 ? `Planning UVF et PF (${code})` : 'Planning UVF et PF',
        group: 'UVF et PF',
      });
      items.push({
        href: `/etablissements/${code}/uvf/sejours`,
        label: codes.length > 1 ? `Séjours du jour (${code})` : 'Séjours du jour',
        group: 'UVF et PF',
      });
    }
    if (roles.includes('SPIP_COUNSELLOR') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/uvf/dossiers`,
        label: codes.length > 1 ? `Dossiers UVF et parloirs familiaux (${code})` : 'Dossiers UVF et parloirs familiaux',
        group: 'UVF et PF',
      });
      items.push({
        href: `/etablissements/${code}/uvf/droit-trimestriel`,
        label: codes.length > 1 ? `Droit trimestriel UVF / PF (${code})` : 'Droit trimestriel UVF / PF',
        group: 'UVF et PF',
      });
    }
    if (roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/delegations`,
        label: codes.length > 1 ? `Délégations de signature (${code})` : 'Délégations de signature',
        group: 'Permis',
      });
    }
    if (roles.includes('ACTIVITIES_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT') || roles.includes('ADMIN')) {
      items.push({
        href: `/etablissements/${code}/visio/parametres`,
        label: codes.length > 1 ? `Visio : paramètres (${code})` : 'Visio : paramètres',
        group: 'Visio',
      });
    }
    if (roles.includes('ACTIVITIES_OFFICER') || roles.includes('HEAD_OF_ESTABLISHMENT')) {
      items.push({
        href: `/etablissements/${code}/visio/detenus`,
        label: codes.length > 1 ? `Visio : personnes détenues (${code})` : 'Visio : personnes détenues',
        group: 'Visio',
      });
      items.push({
        href: `/etablissements/${code}/visio/sanctions`,
        label: codes.length > 1 ? `Visio : numéros sanctionnés (${code})` : 'Visio : numéros sanctionnés',
        group: 'Visio',
      });
      items.push({
        href: `/etablissements/${code}/visio/a-cloturer`,
        label: codes.length > 1 ? `Visio : appels à clôturer (${code})` : 'Visio : appels à clôturer',
        group: 'Visio',
      });
      items.push({
        href: `/etablissements/${code}/visio/statistiques`,
        label: codes.length > 1 ? `Visio : statistiques (${code})` : 'Visio : statistiques',
        group: 'Visio',
      });
    }
    if (roles.includes('ADMIN')) {
      items.push({
        href: `/etablissements/${code}/agents`,
        label: codes.length > 1 ? `Agents et rôles (${code})` : 'Agents et rôles',
        group: 'Administration',
      });
      items.push({
        href: `/etablissements/${code}/messages`,
        label: codes.length > 1 ? `Messages envoyés (${code})` : 'Messages envoyés',
        group: 'Administration',
      });
      items.push({
        href: `/etablissements/${code}/parloirs`,
        label: codes.length > 1 ? `Parloirs (${code})` : 'Parloirs',
        group: 'Administration',
      });
      items.push({
        href: `/etablissements/${code}/infos-pratiques/modifier`,
        label: codes.length > 1 ? `Informations pratiques (${code})` : 'Informations pratiques',
        group: 'Administration',
      });
      items.push({
        href: `/etablissements/${code}/uvf/unites`,
        label: codes.length > 1 ? `Logements UVF et PF (${code})` : 'Logements UVF et PF',
        group: 'UVF et PF',
      });
    }
  }
  return grouped(items, codes.length > 1);
}

/**
 * The staff's links, each section's under one button when it has two or more (the menu must fit a
 * tablet's width: 1024 px); a section of one link stays a link. Per establishment when there are several.
 */
function grouped(items: NavItem[], several: boolean): NavEntry[] {
  const entries: NavEntry[] = [];
  const sections = new Map<string, { label: string; id: string; children: { href: string; label: string }[] }>();
  for (const item of items) {
    if (!item.group) {
      entries.push({ href: item.href, label: item.label });
      continue;
    }
    const code = several ? /^\/etablissements\/([^/]+)\//.exec(item.href)?.[1] : undefined;
    const key = `${item.group}${code ? ` (${code})` : ''}`;
    let section = sections.get(key);
    if (!section) {
      section = { label: key, id: `menu-${sections.size + 1}`, children: [] };
      sections.set(key, section);
      entries.push(section);
    }
    section.children.push({ href: item.href, label: item.label });
  }
  return entries.map((e) => ('children' in e && e.children.length === 1 ? e.children[0] : e));
}
