import {
  Injectable,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import { resolve } from 'node:path';
import { runPeriodically } from '../common/periodic';
import { projectRoot } from '../common/project-root';
import { uploadMiddleware } from '../common/upload.middleware';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DetaineesModule } from '../detainees/detainees.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamilyPermitObservationsController } from './family-permit-observations.controller';
import { FamilyPermitsController } from './family-permits.controller';
import { PermitMeasuresService } from './permit-measures.service';
import { StaffPermitMeasuresController } from './staff-permit-measures.controller';
import { MyPermitsController } from './my-permits.controller';
import { PermitClaimsService } from './permit-claims.service';
import { PermitHolderController } from './permit-holder.controller';
import { PermitLettersController } from './permit-letters.controller';
import { PermitConditionsController } from './permit-conditions.controller';
import { PermitConditionsService } from './permit-conditions.service';
import { SignedTokens } from '../common/signed-tokens';
import { PermitFileStore } from './permit-files';
import { PermitDecisionsService } from './permit-decisions.service';
import { SignatureDelegationsController } from './signature-delegations.controller';
import { SignatureDelegationsService } from './signature-delegations.service';
import { PERMIT_TOKENS, PermitInstructionService } from './permit-instruction.service';
import { PermitRequestWizard } from './permit-request.steps';
import { PERMIT_DOCUMENTS, PermitRequestsService } from './permit-requests.service';
import { PermitRegisterController } from './permit-register.controller';
import { PermitRegisterService } from './permit-register.service';
import { PermitWithdrawalController } from './permit-withdrawal.controller';
import { StaffPermitsController } from './staff-permits.controller';
import { PermitImportController } from './permit-import.controller';
import { PERMIT_IMPORT_STAGING, PermitImportService, PermitImportSweeper } from './permit-import.service';
import { ImportUploadMiddleware } from './permit-import.upload';
import { DocumentStore } from '../common/document-store';
import { MAX_UPLOAD_BYTES } from './uploads';

/**
 * Implicit rejections, retention (docs/retention.md) and the sweep of orphan files, every 10 minutes in every
 * instance (all idempotent).
 */
@Injectable()
export class PermitDeadlineRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly instruction: PermitInstructionService,
    private readonly register: PermitRegisterService,
    private readonly measures: PermitMeasuresService,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically(
      'PermitDeadlines',
      10 * 60_000,
      async (log) => {
        const expired = await this.instruction.expireOverdue();
        if (expired) log.log(`${expired} request(s) implicitly rejected`);
        const lifted = await this.measures.endSuspensions();
        if (lifted) log.log(`${lifted} suspension(s) ended on their date`);
        const purged = await this.register.applyRetention();
        if (purged.documents) log.log(`${purged.documents} document(s) deleted at the end of their retention period`);
        await this.instruction.sweepOrphanFiles();
      },
      { runNow: true },
    );
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}

@Module({
  imports: [EstablishmentsModule, FamiliesModule, NotificationsModule, DetaineesModule],
  // Before StaffPermitsController: `permis/import` and `permis/tableau-de-bord` are no permit ids.
  controllers: [
    PermitImportController,
    FamilyPermitsController,
    PermitWithdrawalController,
    PermitRegisterController,
    StaffPermitsController,
    PermitLettersController,
    SignatureDelegationsController,
    PermitConditionsController,
    StaffPermitMeasuresController,
    FamilyPermitObservationsController,
    MyPermitsController,
    PermitHolderController,
  ],
  providers: [
    {
      provide: PERMIT_DOCUMENTS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PermitFileStore(resolve(projectRoot(), config.documents.dir), config.documents.key),
    },
    {
      provide: PERMIT_TOKENS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SignedTokens(config.sessionSecret, 'permit-qr-token', 'P2V1'),
    },
    PermitRequestsService,
    PermitRequestWizard,
    PermitInstructionService,
    PermitRegisterService,
    PermitDecisionsService,
    SignatureDelegationsService,
    PermitClaimsService,
    PermitDeadlineRunner,
    PermitConditionsService,
    {
      // The ZIPs of photos between an import's preview and its run, beside the documents (never swept as orphans).
      provide: PERMIT_IMPORT_STAGING,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DocumentStore(resolve(projectRoot(), config.documents.dir, 'imports'), config.documents.key),
    },
    PermitImportService,
    PermitImportSweeper,
    PermitMeasuresService,
  ],
  exports: [PermitRequestsService, PermitInstructionService, PermitClaimsService],
})
export class PermitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_UPLOAD_BYTES))
      .forRoutes(
        { path: 'demandes/:id/etape/:step', method: RequestMethod.POST },
        { path: 'demandes/:id/documents', method: RequestMethod.POST },
        { path: 'etablissements/:establishment/permis/enregistrer', method: RequestMethod.POST },
      );
    consumer.apply(ImportUploadMiddleware).forRoutes({ path: 'etablissements/:establishment/permis/import', method: RequestMethod.POST });
  }
}
