import { DataSourceOptions } from 'typeorm';
import { Init1763830000000 } from '../../migrations/1763830000000-Init';
import { Notifications1763840000000 } from '../../migrations/1763840000000-Notifications';
import { Permits1763850000000 } from '../../migrations/1763850000000-Permits';
import { Visits1763860000000 } from '../../migrations/1763860000000-Visits';
import { VisitDay1763870000000 } from '../../migrations/1763870000000-VisitDay';
import { DetaineeTransfers1763880000000 } from '../../migrations/1763880000000-DetaineeTransfers';
import { LawfulPermits1763890000000 } from '../../migrations/1763890000000-LawfulPermits';
import { PermitInvalidRefusal1763890300000 } from '../../migrations/1763890300000-PermitInvalidRefusal';
import { ComplementaryDocuments1763890600000 } from '../../migrations/1763890600000-ComplementaryDocuments';
import { ConditionsLetter1763890700000 } from '../../migrations/1763890700000-ConditionsLetter';
import { FamilyVisits1763900000000 } from '../../migrations/1763900000000-FamilyVisits';
import { FamilyStaysPriority1763900300000 } from '../../migrations/1763900300000-FamilyStaysPriority';
import { FamilyVisitDecisions1763900400000 } from '../../migrations/1763900400000-FamilyVisitDecisions';
import { FamilyStayChanges1763900600000 } from '../../migrations/1763900600000-FamilyStayChanges';
import { FamilyVisitLitigationHold1763900700000 } from '../../migrations/1763900700000-FamilyVisitLitigationHold';
import { FamilyStayBreak1763900800000 } from '../../migrations/1763900800000-FamilyStayBreak';
import { MagistrateAuthorisationReuse1763900900000 } from '../../migrations/1763900900000-MagistrateAuthorisationReuse';
import { FamilyVisitRequestWish1763901000000 } from '../../migrations/1763901000000-FamilyVisitRequestWish';
import { JuvenileJudgeOpinion1763901100000 } from '../../migrations/1763901100000-JuvenileJudgeOpinion';
import { FamilyStayDetainee1763901200000 } from '../../migrations/1763901200000-FamilyStayDetainee';
import { PermitLitigationNote1763901400000 } from '../../migrations/1763901400000-PermitLitigationNote';
import { VideoCalls1763902000000 } from '../../migrations/1763902000000-VideoCalls';
import { ProposedSlots1763902100000 } from '../../migrations/1763902100000-ProposedSlots';
import { SanctionLift1763902200000 } from '../../migrations/1763902200000-SanctionLift';
import { VideoCallContactOwner1763902300000 } from '../../migrations/1763902300000-VideoCallContactOwner';
import { EstablishmentHolidayZone1763902400000 } from '../../migrations/1763902400000-EstablishmentHolidayZone';
import { OneEmptyDraft1763902500000 } from '../../migrations/1763902500000-OneEmptyDraft';
import { EstablishmentInfo1763902600000 } from '../../migrations/1763902600000-EstablishmentInfo';
import { VisitRules1763902800000 } from '../../migrations/1763902800000-VisitRules';
import { ConsentWithdrawnReview1763903000000 } from '../../migrations/1763903000000-ConsentWithdrawnReview';
import { AuditChainKeyed1763903160000 } from '../../migrations/1763903160000-AuditChainKeyed';
import { VisitRestrictionsAndIncidents1763902900000 } from '../../migrations/1763902900000-VisitRestrictionsAndIncidents';
import { RateLimitHits1763903150000 } from '../../migrations/1763903150000-RateLimitHits';
import { NationalScaleIndexes1763903200000 } from '../../migrations/1763903200000-NationalScaleIndexes';
import { NationalOversight1763903300000 } from '../../migrations/1763903300000-NationalOversight';
import { NotificationRetention1763903400000 } from '../../migrations/1763903400000-NotificationRetention';
import { FamilyRequestsByPermit1763903500000 } from '../../migrations/1763903500000-FamilyRequestsByPermit';
import { FamilyAccountClosure1763903600000 } from '../../migrations/1763903600000-FamilyAccountClosure';
import { FamilyDataIndexes1763903700000 } from '../../migrations/1763903700000-FamilyDataIndexes';
import { FamilyLanguage1763903800000 } from '../../migrations/1763903800000-FamilyLanguage';
import { EstablishmentInfoTranslations1763903900000 } from '../../migrations/1763903900000-EstablishmentInfoTranslations';
import { AuditNextEntry1763904000000 } from '../../migrations/1763904000000-AuditNextEntry';
import { VisitsFamilyDayIndex1763904100000 } from '../../migrations/1763904100000-VisitsFamilyDayIndex';
import { join } from 'node:path';
import { SqlCaptureLogger } from './sql-capture';

/** Every table's entity: each module keeps its own in `<name>.entity.ts` (src/**, built to dist/src/**). */
export const ENTITIES = [join(__dirname, '..', '**', '*.entity.js')];
export const MIGRATIONS = [
  Init1763830000000,
  Notifications1763840000000,
  Permits1763850000000,
  Visits1763860000000,
  VisitDay1763870000000,
  DetaineeTransfers1763880000000,
  LawfulPermits1763890000000,
  PermitInvalidRefusal1763890300000,
  ComplementaryDocuments1763890600000,
  ConditionsLetter1763890700000,
  FamilyVisits1763900000000,
  FamilyStaysPriority1763900300000,
  FamilyVisitDecisions1763900400000,
  FamilyStayChanges1763900600000,
  FamilyVisitLitigationHold1763900700000,
  FamilyStayBreak1763900800000,
  MagistrateAuthorisationReuse1763900900000,
  FamilyVisitRequestWish1763901000000,
  JuvenileJudgeOpinion1763901100000,
  FamilyStayDetainee1763901200000,
  PermitLitigationNote1763901400000,
  VideoCalls1763902000000,
  ProposedSlots1763902100000,
  SanctionLift1763902200000,
  VideoCallContactOwner1763902300000,
  EstablishmentHolidayZone1763902400000,
  OneEmptyDraft1763902500000,
  EstablishmentInfo1763902600000,
  VisitRules1763902800000,
  VisitRestrictionsAndIncidents1763902900000,
  ConsentWithdrawnReview1763903000000,
  RateLimitHits1763903150000,
  AuditChainKeyed1763903160000,
  NationalScaleIndexes1763903200000,
  NationalOversight1763903300000,
  NotificationRetention1763903400000,
  FamilyRequestsByPermit1763903500000,
  FamilyAccountClosure1763903600000,
  FamilyDataIndexes1763903700000,
  FamilyLanguage1763903800000,
  EstablishmentInfoTranslations1763903900000,
  AuditNextEntry1763904000000,
  VisitsFamilyDayIndex1763904100000,
];

/**
 * The one set of TypeORM options, shared by the app, the CLI scripts and the tests. `captureFile`: the
 * statements served for requests are written there (benchmarks only: src/database/sql-capture.ts).
 */
export function dataSourceOptions(url: string, captureFile?: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // The migrations create the extensions they need (btree_gist); TypeORM adds none of its own.
    installExtensions: false,
    logging: captureFile ? ['query', 'error'] : ['error'],
    ...(captureFile ? { logger: new SqlCaptureLogger(captureFile) } : {}),
    extra: { max: 10 },
  };
}
