import {
  Inject,
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
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamilyPermitsController } from './family-permits.controller';
import { MyPermitsController } from './my-permits.controller';
import { PermitClaimsService } from './permit-claims.service';
import { PermitHolderController } from './permit-holder.controller';
import { PermitLettersController } from './permit-letters.controller';
import { SignedTokens } from '../common/signed-tokens';
import { PermitFileStore } from './permit-files';
import { PERMIT_TOKENS, PermitInstructionService } from './permit-instruction.service';
import { PermitRequestWizard } from './permit-request.steps';
import { PERMIT_DOCUMENTS, PermitRequestsService } from './permit-requests.service';
import { StaffPermitsController } from './staff-permits.controller';
import { MAX_UPLOAD_BYTES } from './uploads';

/**
 * Implicit rejections, document retention and the sweep of orphan files, every 10 minutes in every
 * instance (all idempotent).
 */
@Injectable()
export class PermitDeadlineRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly instruction: PermitInstructionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically(
      'PermitDeadlines',
      10 * 60_000,
      async (log) => {
        const expired = await this.instruction.expireOverdue();
        if (expired) log.log(`${expired} request(s) implicitly rejected`);
        const purged = await this.instruction.purgeDocuments(this.config.documents.retentionDays);
        if (purged) log.log(`${purged} document(s) deleted at the end of their retention period`);
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
  imports: [EstablishmentsModule, FamiliesModule, NotificationsModule],
  controllers: [FamilyPermitsController, StaffPermitsController, PermitLettersController, MyPermitsController, PermitHolderController],
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
    PermitClaimsService,
    PermitDeadlineRunner,
  ],
  exports: [PermitRequestsService, PermitInstructionService],
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
  }
}
