import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { resolve } from 'node:path';
import { DocumentStore } from '../common/document-store';
import { projectRoot } from '../common/project-root';
import { uploadMiddleware } from '../common/upload.middleware';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamilyPermitsController } from './family-permits.controller';
import { PERMIT_DOCUMENTS, PermitRequestsService } from './permit-requests.service';
import { MAX_UPLOAD_BYTES } from './uploads';

@Module({
  imports: [EstablishmentsModule, FamiliesModule, NotificationsModule],
  controllers: [FamilyPermitsController],
  providers: [
    {
      provide: PERMIT_DOCUMENTS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DocumentStore(resolve(projectRoot(), config.documents.dir), config.documents.key),
    },
    PermitRequestsService,
  ],
  exports: [PermitRequestsService],
})
export class PermitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(uploadMiddleware('fichier', MAX_UPLOAD_BYTES)).forRoutes({ path: 'demandes/:id/etape/:step', method: RequestMethod.POST });
  }
}
