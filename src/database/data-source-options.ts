import { DataSourceOptions } from 'typeorm';
import { Init1763830000000 } from '../../migrations/1763830000000-Init';
import { Notifications1763840000000 } from '../../migrations/1763840000000-Notifications';
import { Permits1763850000000 } from '../../migrations/1763850000000-Permits';
import { Visits1763860000000 } from '../../migrations/1763860000000-Visits';
import { VisitDay1763870000000 } from '../../migrations/1763870000000-VisitDay';
import { Establishment } from '../establishments/establishment.entity';
import { Detainee } from '../detainees/detainee.entity';
import { Agent } from '../agents/agent.entity';
import { RoleAssignment } from '../agents/role-assignment.entity';
import { FamilyAccount } from '../families/family-account.entity';

export const ENTITIES = [Establishment, Detainee, Agent, RoleAssignment, FamilyAccount];
export const MIGRATIONS = [Init1763830000000, Notifications1763840000000, Permits1763850000000, Visits1763860000000, VisitDay1763870000000];

/** The one set of TypeORM options, shared by the app, the CLI scripts and the tests. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { max: 10 },
  };
}
