import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
import { giveLettersToFamily, LetterRow, lettersAbout, lettersOfFamily, recordLetter } from './letters';
import { identityMatches, MAX_CLAIM_FAILURES_PER_DAY } from './permit-claim.rules';
import {
  account,
  AccountIdentity,
  accountsByEmail,
  claimFailuresSince,
  insertClaimFailure,
  linkPermit,
  lockAccount,
  lockPermitByClaimCode,
  lockPermitToLink,
  permitHolder,
  PermitHolderRow,
  permitsOfFamily,
  permitToLink,
  permitToLinkById,
  PermitToLink,
  setClaimCode,
} from './permit-claims.queries';
import { tr } from '../common/translate';
import { familyConditions, familyLimits } from './family-texts';
import { formatClaimCode, newClaimCode, parseClaimCode, permitState } from './permit-validity';
import type { PermitState } from './permit-validity';
import { RELATIONSHIPS } from './permit.rules';

const permitNotFound = () => new DomainError('NOT_FOUND', 'Permis introuvable.', 404);

/**
 * Gives a recorded permit (paper, magistrate) without an account its claim code, and records the
 * letter that tells the visitor how to link it (printed and handed over or posted). In the caller's
 * transaction; the permit row must be the caller's (just inserted, or locked).
 */
export async function issueClaimCode(
  m: EntityManager,
  permitId: string,
  now: Date,
  code = newClaimCode(),
): Promise<{ code: string; letterId: string }> {
  await setClaimCode(m, permitId, code);
  const p = await permitToLinkById(m, permitId);
  if (!p) throw permitNotFound();
  const visitor = `${p.visitorGivenName} ${p.visitorFamilyName.toUpperCase()}`;
  const letterId = await recordLetter(m, {
    establishmentId: p.establishmentId,
    permitId,
    familyAccountId: null,
    kind: 'CLAIM_CODE',
    title: 'Votre code pour réserver vos visites en ligne',
    addressee: visitor,
    author: null,
    body: {
      recourse: false,
      paragraphs: [
        `L’établissement ${p.establishmentName} a enregistré dans P2V le permis de visite de ${visitor} pour rendre visite à ${p.detaineeName}.`,
        'Vous pouvez réserver vos visites en ligne sur P2V après avoir lié ce permis à votre compte :',
        '1. Allez sur P2V, rubrique « Mes permis », et connectez-vous avec FranceConnect, sous l’identité de la personne titulaire du permis.',
        `2. Choisissez « Lier un permis papier » et saisissez ce code : ${formatClaimCode(code)}.`,
        'Les nom, prénom et date de naissance de votre identité FranceConnect doivent être ceux inscrits sur le permis. Ce code ' +
          'est personnel : ne le communiquez à personne. Il ne sert plus une fois le permis lié.',
        'Si vous ne pouvez pas utiliser FranceConnect, ou si le permis est celui d’un enfant, présentez-vous au greffe de l’établissement avec une ' +
          'pièce d’identité et l’adresse électronique de votre compte P2V : un agent liera le permis à votre compte.',
      ],
    },
    issuedAt: now,
  });
  return { code, letterId };
}

/** The outcome of a claim: a neutral refusal never says whether the code or the identity was wrong. */
export type ClaimResult = { ok: true; permitId: string } | { ok: false; reason: 'NOT_MATCHED' | 'RATE_LIMITED' };

/** A permit as « Mes permis » shows it. */
export interface MyPermit {
  id: string;
  /** The online request it was granted on, if any. */
  requestId: string | null;
  /** Its request's reference, or the paper permit's; null if it has none. */
  number: string | null;
  /** AAAA-MM-JJ */
  validFrom: string;
  visitor: string;
  relationship: string;
  detaineeName: string;
  establishmentName: string;
  state: PermitState;
  stateLabel: string;
  limits: string;
  conditions: string[];
  /** The establishment's own words on the conditions (French, as written). */
  conditionsNote: string | null;
  /** Why it is suspended, on hold or withdrawn (French, as the establishment wrote it). */
  statusReason: string | null;
  origin: string;
  /** An intended measure is open: the family may present observations until this day (AAAA-MM-JJ, included). */
  observationsDue: string | null;
}

/** Who holds the permit, for the staff's permit page. */
export interface PermitHolder extends PermitHolderRow {
  claimCodeText: string | null;
  letters: LetterRow[];
}

/**
 * Linking recorded permits (paper, magistrate) to the family account of their holder: a claim code
 * the family types in « Mes permis » with its FranceConnect identity, or a link made by the greffe
 * when the family is present. A linked permit books like an online one (visits read
 * permits.family_account_id). Every link is audited and the family told.
 */
@Injectable()
export class PermitClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** « Mes permis »: the family's permits with their state, limits and conditions, and the letters addressed to it. */
  async myPermits(familyId: string): Promise<{ permits: MyPermit[]; letters: LetterRow[] }> {
    return { permits: await this.familyPermits(familyId), letters: await lettersOfFamily(this.dataSource.manager, familyId) };
  }

  /** The permit granted on the family's request (its page shows it once granted), or null. */
  async permitOfRequest(familyId: string, requestId: string): Promise<MyPermit | null> {
    return (await this.familyPermits(familyId)).find((p) => p.requestId === requestId) ?? null;
  }

  /** The permits linked to the family's account, as « Mes permis » and « Mon espace » show them, in the family's language. */
  async familyPermits(familyId: string): Promise<MyPermit[]> {
    const rows = await permitsOfFamily(this.dataSource.manager, familyId, this.clock.now());
    return rows.map((r): MyPermit => {
      const state = permitState(r, r.today);
      return {
        id: r.id,
        requestId: r.requestId,
        number: r.number,
        validFrom: r.validFrom,
        visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
        relationship: RELATIONSHIPS[r.relationship] ? tr(`permits:relationships.${r.relationship}`) : r.relationship,
        detaineeName: r.detaineeName,
        establishmentName: r.establishmentName,
        state,
        stateLabel: tr(`permits:permitStates.${state}`),
        limits: familyLimits(r),
        conditions: familyConditions(r),
        conditionsNote: r.conditionsNote,
        statusReason: r.status === 'ACTIVE' ? null : r.statusReason,
        origin: tr(`permits:origins.${r.origin}`),
        observationsDue: r.observationsDue && r.observationsDue >= r.today ? r.observationsDue : null,
      };
    });
  }

  /**
   * A family claims a recorded permit with its code. Succeeds only for an existing code, a permit
   * without an account and not withdrawn, whose visitor is the account's FranceConnect identity
   * (names and birth date). Every failure is counted; after 5 in 24 hours the account must wait.
   */
  async claim(family: Actor & { id: string }, typed: string): Promise<ClaimResult> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const who = await lockAccount(m, family.id);
      if (!who) throw new DomainError('NOT_FOUND', 'Compte introuvable.', 404);
      const failures = await claimFailuresSince(m, family.id, new Date(now.getTime() - 24 * 3600_000));
      if (failures >= MAX_CLAIM_FAILURES_PER_DAY) return { ok: false, reason: 'RATE_LIMITED' } as const;
      const code = parseClaimCode(typed);
      const p = code ? await lockPermitByClaimCode(m, code) : null;
      const claimable =
        p !== null &&
        p.familyAccountId === null &&
        p.status !== 'WITHDRAWN' &&
        identityMatches({ givenName: p.visitorGivenName, familyName: p.visitorFamilyName, birthdate: p.visitorBirthdate }, who);
      if (!p || !claimable) {
        await insertClaimFailure(m, family.id, now);
        return { ok: false, reason: 'NOT_MATCHED' } as const;
      }
      await this.link(m, family, p, who, now, 'PERMIT_CLAIMED', {});
      return { ok: true, permitId: p.id } as const;
    });
  }

  /** The staff's permit page: who holds the permit in P2V, its code and the letters about it. */
  async holder(establishmentId: string, permitId: string): Promise<PermitHolder> {
    const db = this.dataSource.manager;
    const row = await permitHolder(db, establishmentId, permitId);
    if (!row) throw permitNotFound();
    const letters = (await lettersAbout(db, { permitId })).filter((l) => l.kind === 'CLAIM_CODE');
    return { ...row, claimCodeText: row.claimCode ? formatClaimCode(row.claimCode) : null, letters };
  }

  /** « Générer un code » for a recorded permit without an account (recorded before codes existed, or whose letter was lost). */
  async generateCode(actor: Actor, establishmentId: string, permitId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const p = await lockPermitToLink(m, establishmentId, permitId);
      if (!p) throw permitNotFound();
      if (p.familyAccountId) throw new DomainError('LINKED', 'Ce permis est déjà lié à un compte P2V.', 409);
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut pas être lié à un compte.', 409);
      if (p.claimCode) throw new DomainError('HAS_CODE', 'Ce permis a déjà un code : le courrier qui le donne est ci-dessous.', 409);
      const { letterId } = await issueClaimCode(m, permitId, now);
      await this.audit.record(
        { actor, action: 'PERMIT_CLAIM_CODE_ISSUED', entityType: 'permit', entityId: permitId, establishmentId, after: { letterId } },
        m,
      );
    });
  }

  /** The staff's confirmation page: the permit and the account this e-mail names (refused when none or several). */
  async linkCandidate(
    establishmentId: string,
    permitId: string,
    email: string,
  ): Promise<{ permit: PermitToLink; account: AccountIdentity }> {
    const db = this.dataSource.manager;
    const permit = await permitToLink(db, establishmentId, permitId);
    if (!permit) throw permitNotFound();
    this.checkLinkable(permit);
    const accounts = await accountsByEmail(db, email);
    if (accounts.length === 0)
      throw new DomainError(
        'NO_ACCOUNT',
        'Aucun compte P2V n’a cette adresse électronique. La personne doit d’abord se connecter à P2V avec FranceConnect.',
      );
    if (accounts.length > 1)
      throw new DomainError(
        'SEVERAL_ACCOUNTS',
        'Plusieurs comptes P2V ont cette adresse électronique : la personne doit lier le permis avec son code.',
      );
    return { permit, account: accounts[0] };
  }

  /**
   * The greffe links the permit to the account of the person present, whose identity document it
   * checked. The e-mail typed is resolved again: the account confirmed must still be the one it names.
   */
  async linkByStaff(actor: Actor, establishmentId: string, permitId: string, email: string, familyId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const p = await lockPermitToLink(m, establishmentId, permitId);
      if (!p) throw permitNotFound();
      this.checkLinkable(p);
      const named = await accountsByEmail(m, email);
      if (named.length !== 1 || named[0].id !== familyId)
        throw new DomainError(
          'ACCOUNT_CHANGED',
          'Ce compte ne correspond plus à l’adresse électronique saisie : saisissez-la de nouveau et vérifiez l’identité affichée.',
          409,
        );
      const who = await account(m, familyId);
      if (!who) throw new DomainError('NO_ACCOUNT', 'Ce compte P2V n’existe plus.', 409);
      await this.link(m, actor, p, who, now, 'PERMIT_LINKED_BY_STAFF', { identityDocumentChecked: true });
    });
  }

  private checkLinkable(p: PermitToLink): void {
    if (p.familyAccountId) throw new DomainError('LINKED', 'Ce permis est déjà lié à un compte P2V.', 409);
    if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut pas être lié à un compte.', 409);
  }

  private async link(
    m: EntityManager,
    actor: Actor,
    p: PermitToLink,
    who: AccountIdentity,
    now: Date,
    action: string,
    extra: Record<string, unknown>,
  ): Promise<void> {
    await linkPermit(m, p.id, who.id, now);
    await giveLettersToFamily(m, p.id, who.id);
    await this.audit.record(
      {
        actor,
        action,
        entityType: 'permit',
        entityId: p.id,
        establishmentId: p.establishmentId,
        before: { familyAccountId: null },
        after: { familyAccountId: who.id, ...extra },
      },
      m,
    );
    if (who.email)
      await this.notifications.enqueue(
        m,
        {
          channel: 'EMAIL',
          to: who.email,
          template: 'permit-linked',
          category: 'TRANSACTIONAL',
          data: {
            visitor: `${p.visitorGivenName} ${p.visitorFamilyName}`,
            detainee: p.detaineeName,
            establishmentName: p.establishmentName,
          },
          entity: { type: 'permit', id: p.id },
          establishmentId: p.establishmentId,
        },
        now,
      );
  }
}
