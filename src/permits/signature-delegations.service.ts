import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import {
  agentsOf,
  DelegationRow,
  delegationsOf,
  insertDelegation,
  revokeDelegation,
  setAgentQuality,
  StaffAgentRow,
} from './decisions.queries';
import { establishmentDay } from './permit-measures.rules';

/** A delegation as the page lists it: in force today, to come, ended or revoked. */
export interface DelegationView extends DelegationRow {
  state: 'EN_VIGUEUR' | 'A_VENIR' | 'TERMINEE' | 'REVOQUEE';
}

/** Whether a delegation holds on `day` (AAAA-MM-JJ). */
export function delegationState(d: Pick<DelegationRow, 'validFrom' | 'validTo' | 'revokedAt'>, day: string): DelegationView['state'] {
  if (d.revokedAt) return 'REVOQUEE';
  if (d.validFrom > day) return 'A_VENIR';
  if (d.validTo && d.validTo < day) return 'TERMINEE';
  return 'EN_VIGUEUR';
}

/** The head of establishment's signature delegations for permit decisions (CRPA L212-1), and the agents' quality. */
@Injectable()
export class SignatureDelegationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async page(establishment: {
    id: string;
    timeZone: string;
  }): Promise<{ delegations: DelegationView[]; agents: StaffAgentRow[]; today: string }> {
    const db = this.dataSource.manager;
    const establishmentId = establishment.id;
    const today = establishmentDay(this.clock.now(), establishment.timeZone);
    return {
      delegations: (await delegationsOf(db, establishmentId)).map((d) => ({ ...d, state: delegationState(d, today) })),
      agents: await agentsOf(db, establishmentId),
      today,
    };
  }

  private async agentOf(establishmentId: string, agentId: string): Promise<StaffAgentRow> {
    const agent = (await agentsOf(this.dataSource.manager, establishmentId)).find((a) => a.id === agentId);
    if (!agent) throw new DomainError('UNKNOWN_AGENT', 'Choisissez un agent de l’établissement.');
    return agent;
  }

  async delegate(actor: Actor, establishmentId: string, d: { agentId: string; validFrom: string; validTo: string | null }): Promise<void> {
    const agent = await this.agentOf(establishmentId, d.agentId);
    await this.dataSource.transaction(async (m) => {
      const id = await insertDelegation(m, { ...d, establishmentId, createdBy: actor.id! });
      await this.audit.record(
        {
          actor,
          action: 'SIGNATURE_DELEGATION_GRANTED',
          entityType: 'signature_delegation',
          entityId: id,
          establishmentId,
          after: { agent: agent.name, validFrom: d.validFrom, validTo: d.validTo },
        },
        m,
      );
    });
  }

  async revoke(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      if (!(await revokeDelegation(m, establishmentId, id, now))) throw new DomainError('NOT_FOUND', 'Délégation introuvable.', 404);
      await this.audit.record(
        { actor, action: 'SIGNATURE_DELEGATION_REVOKED', entityType: 'signature_delegation', entityId: id, establishmentId },
        m,
      );
    });
  }

  async setQuality(actor: Actor, establishmentId: string, agentId: string, quality: string | null): Promise<void> {
    const agent = await this.agentOf(establishmentId, agentId);
    await this.dataSource.transaction(async (m) => {
      await setAgentQuality(m, agentId, quality);
      await this.audit.record(
        {
          actor,
          action: 'AGENT_QUALITY_CHANGED',
          entityType: 'agent',
          entityId: agentId,
          establishmentId,
          before: { quality: agent.quality },
          after: { quality },
        },
        m,
      );
    });
  }
}
