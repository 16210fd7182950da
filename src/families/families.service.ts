import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { contactAddress } from '../notifications/notifications.service';
import { FamilyAccount } from './family-account.entity';

export interface FranceConnectIdentity {
  subject: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  email: string | null;
}

@Injectable()
export class FamiliesService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(FamilyAccount) private readonly accounts: Repository<FamilyAccount>,
    private readonly audit: AuditService,
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
      if (!existing) {
        const created = await repo.save(repo.create({ fcSubject: identity.subject, ...values, lastSignInAt: new Date() }));
        await this.audit.record(
          {
            actor: { type: 'FAMILY', id: created.id },
            action: 'FAMILY_ACCOUNT_CREATED',
            entityType: 'family_account',
            entityId: created.id,
            after: values,
          },
          m,
        );
        await this.audit.record(
          { actor: { type: 'FAMILY', id: created.id }, action: 'FAMILY_SIGNED_IN', entityType: 'family_account', entityId: created.id },
          m,
        );
        return created;
      }
      const before = {
        givenName: existing.givenName,
        familyName: existing.familyName,
        birthdate: existing.birthdate,
        email: existing.email,
      };
      const changed = JSON.stringify(before) !== JSON.stringify(values);
      Object.assign(existing, values, { lastSignInAt: new Date() });
      await repo.save(existing);
      if (changed) {
        await this.audit.record(
          {
            actor: { type: 'FAMILY', id: existing.id },
            action: 'FAMILY_IDENTITY_UPDATED',
            entityType: 'family_account',
            entityId: existing.id,
            before,
            after: values,
          },
          m,
        );
      }
      await this.audit.record(
        { actor: { type: 'FAMILY', id: existing.id }, action: 'FAMILY_SIGNED_IN', entityType: 'family_account', entityId: existing.id },
        m,
      );
      return existing;
    });
  }

  /** Records (or removes, when empty) the mobile number for SMS; refuses an invalid number with a French message. */
  async setMobilePhone(id: string, raw: string): Promise<string | null> {
    const phone = raw.trim() ? contactAddress('SMS', raw) : null;
    await this.dataSource.transaction(async (m) => {
      const [before] = await m.query(`SELECT mobile_phone FROM family_accounts WHERE id = $1 FOR UPDATE`, [id]);
      await m.query(`UPDATE family_accounts SET mobile_phone = $2 WHERE id = $1`, [id, phone]);
      await this.audit.record(
        {
          actor: { type: 'FAMILY', id },
          action: 'FAMILY_PHONE_CHANGED',
          entityType: 'family_account',
          entityId: id,
          before: { mobilePhone: before?.mobile_phone ?? null },
          after: { mobilePhone: phone },
        },
        m,
      );
    });
    return phone;
  }

  find(id: string): Promise<FamilyAccount | null> {
    return this.accounts.findOneBy({ id });
  }
}
