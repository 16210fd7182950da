import { Injectable, Logger, MiddlewareConsumer, Module, NestModule, OnApplicationBootstrap, OnApplicationShutdown, RequestMethod } from '@nestjs/common';
import { resolve } from 'node:path';
import { DocumentStore } from '../common/document-store';
import { projectRoot } from '../common/project-root';
import { uploadMiddleware } from '../common/upload.middleware';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamilyPermitsController } from './family-permits.controller';
import { PermitInstructionService } from './permit-instruction.service';
import { StaffPermitsController } from './staff-permits.controller';
import { PERMIT_DOCUMENTS, PermitRequestsService } from './permit-requests.service';
import { MAX_UPLOAD_BYTES } from './uploads';

/** Implicit rejections are applied every 10 minutes by every instance (the update is idempotent). */
@Injectable()
export class PermitDeadlineRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PermitDeadlines');
  private timer?: NodeJS.Timeout;

  constructor(private readonly instruction: PermitInstructionService) {}

  onApplicationBootstrap() {
    const run = () =>
      this.instruction
        .expireOverdue()
        .then((n) => n && this.logger.log(`${n} request(s) implicitly rejected`))
        .catch((e) => this.logger.error(`Implicit rejection run failed: ${String(e)}`));
    this.timer = setInterval(run, 10 * 60_000);
    this.timer.unref();
    void run();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }
}

@Module({
  imports: [EstablishmentsModule, FamiliesModule, NotificationsModule],
  controllers: [FamilyPermitsController, StaffPermitsController],
  providers: [
    {
      provide: PERMIT_DOCUMENTS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DocumentStore(resolve(projectRoot(), config.documents.dir), config.documents.key),
    },
    PermitRequestsService,
    PermitInstructionService,
    PermitDeadlineRunner,
  ],
  exports: [PermitRequestsService, PermitInstructionService],
})
export class PermitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_UPLOAD_BYTES))
      .forRoutes({ path: 'demandes/:id/etape/:step', method: RequestMethod.POST }, { path: 'demandes/:id/documents', method: RequestMethod.POST });
  }
}
