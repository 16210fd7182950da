import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { CLOSED_ACCOUNT_MESSAGE } from '../common/closed-account';
import { DomainError } from '../common/domain-error';
import { isLanguage, type Language } from '../common/i18n';
import { contactAddress, NotificationsService } from '../notifications/notifications.service';
import { FamilyAccount } from './family-account.entity';

export interface FranceConnectIdentity {
  subject: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  email: string | null;
}

/** The family member as the actor of an audited change: their FranceConnect name. */
function familyActor(account: Pick<FamilyAccount, 'id' | 'givenName' | 'familyName'>): Actor {
  return { type: 'FAMILY', id: account.id, label: `${account.givenName} ${account.familyName}` };
}

export type SignedInFamily = Pick<FamilyAccount, 'id' | 'givenName' | 'familyName' | 'email' | 'mobilePhone' | 'language'> & {
  closed: boolean;
};

@Injectable()
export class FamiliesService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(FamilyAccount) private readonly accounts: Repository<FamilyAccount>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** Creates the account at first sign-in; afterwards keeps the FranceConnect identity up to date. */
  async signIn(identity: FranceConnectIdentity): Promise<FamilyAccount> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(FamilyAccount);
      const existing = await repo.findOne({ where: { fcSubject: identity.subject }, lock: { mode: 'pessimistic_write' } });
      const values = {
        givenName: identity.givenName,
        familyName: identity.familyName,
        birthdate: identity.birthdate,
        email: identity.email,
      };
      const now = this.clock.now();
      if (!existing) {
        const created = await repo.save(repo.create({ fcSubject: identity.subject, ...values, lastSignInAt: now }));
        const actor = familyActor(created);
        await this.audit.record(
          { actor, action: 'FAMILY_ACCOUNT_CREATED', entityType: 'family_account', entityId: created.id, after: values },
          m,
        );
        await this.audit.record({ actor, action: 'FAMILY_SIGNED_IN', entityType: 'family_account', entityId: created.id }, m);
        return created;
      }
      const before = {
        givenName: existing.givenName,
        familyName: existing.familyName,
        birthdate: existing.birthdate,
        email: existing.email,
      };
      const changed = JSON.stringify(before) !== JSON.stringify(values);
      const closedAt = existing.closedAt;
      Object.assign(existing, values, { lastSignInAt: now, closedAt: null });
      await repo.save(existing);
      // A new e-mail address from FranceConnect gets the family's language, as the old one had.
      if (isLanguage(existing.language) && existing.email !== before.email)
        await this.notifications.rememberLanguage(m, { email: existing.email }, existing.language);
      const actor = familyActor(existing);
      if (closedAt) {
        // A closed account is reopened by its FranceConnect identity (docs/retention.md, « Closing an account »): the
        // records kept come back, the contact details erased do not (the e-mail comes again from FranceConnect).
        await this.audit.record(
          {
            actor,
            action: 'FAMILY_ACCOUNT_REOPENED',
            entityType: 'family_account',
            entityId: existing.id,
            before: { closedAt: closedAt.toISOString() },
            after: { closedAt: null },
          },
          m,
        );
      }
      if (changed) {
        await this.audit.record(
          { actor, action: 'FAMILY_IDENTITY_UPDATED', entityType: 'family_account', entityId: existing.id, before, after: values },
          m,
        );
      }
      await this.audit.record({ actor, action: 'FAMILY_SIGNED_IN', entityType: 'family_account', entityId: existing.id }, m);
      return existing;
    });
  }

  /**
   * Records (or removes, when empty) the mobile number for SMS of the family's own account; refuses
   * an invalid number with a French message (a DomainError).
   */
  async setMobilePhone(id: string, raw: string): Promise<string | null> {
    const phone = raw.trim() ? contactAddress('SMS', raw) : null;
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(FamilyAccount);
      const account = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundException();
      // Closed meanwhile (« Mes données »): its contact details stay erased.
      if (account.closedAt) throw new DomainError('ACCOUNT_CLOSED', CLOSED_ACCOUNT_MESSAGE, 409);
      const before = account.mobilePhone;
      await repo.update({ id }, { mobilePhone: phone });
      if (phone && isLanguage(account.language)) await this.notifications.rememberLanguage(m, { phone }, account.language);
      await this.audit.record(
        {
          actor: familyActor(account),
          action: 'FAMILY_PHONE_CHANGED',
          entityType: 'family_account',
          entityId: id,
          before: { mobilePhone: before },
          after: { mobilePhone: phone },
        },
        m,
      );
    });
    return phone;
  }

  /**
   * The language of the family's pages and messages, as chosen or first seen (a preference, not a
   * decision: not audited); the messages to its e-mail and mobile number follow it.
   */
  async setLanguage(id: string, language: Language): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const account = await m.getRepository(FamilyAccount).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!account) return;
      await m.getRepository(FamilyAccount).update({ id }, { language });
      // Its messages follow: its e-mail and its mobile number are written to in this language.
      await this.notifications.rememberLanguage(m, { email: account.email, phone: account.mobilePhone }, language);
    });
  }

  /**
   * The family's account locked FOR UPDATE in the caller's transaction (null: no such account). FOR UPDATE, not
   * the FOR NO KEY UPDATE an UPDATE takes: it conflicts with the FOR KEY SHARE of trigger refuse_closed_family_account,
   * so a permit request, a booking or a waiting-list entry written at the same moment waits for the closure.
   */
  lockIn(m: EntityManager, id: string): Promise<FamilyAccount | null> {
    return m.getRepository(FamilyAccount).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Closes the account, in the caller's transaction (after lockIn): `closed_at` set, the e-mail and mobile number
   * erased; the FranceConnect subject and identity stay, as the requester of the decisions kept (docs/retention.md).
   * The caller checks first that no procedure is pending and audits the closure.
   */
  async closeIn(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.getRepository(FamilyAccount).update({ id }, { closedAt: at, email: null, mobilePhone: null });
  }

  find(id: string): Promise<FamilyAccount | null> {
    return this.accounts.findOneBy({ id });
  }

  /**
   * What every page of a signed-in family needs of its account (PrincipalMiddleware): one plain query,
   * the columns it uses, without the ORM's entity building, since it runs on every request.
   */
  async signedIn(id: string): Promise<SignedInFamily | null> {
    const rows = await this.dataSource.manager.query<SignedInFamily[]>(
      `SELECT id, given_name AS "givenName", family_name AS "familyName", email, mobile_phone AS "mobilePhone", language,
              closed_at IS NOT NULL AS closed
         FROM family_accounts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The signed-in family's own account (404 if it no longer exists). */
  async account(id: string): Promise<FamilyAccount> {
    const account = await this.find(id);
    if (!account) throw new NotFoundException();
    return account;
  }
}
