import { join, resolve } from 'node:path';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { projectRoot } from '../common/project-root';
import { uploadMiddleware } from '../common/upload.middleware';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PermitFileStore } from '../permits/permit-files';
import { MAX_UPLOAD_BYTES } from '../permits/uploads';
import { VideoCallRecordController } from './record.controller';
import { VIDEO_CALL_DOCUMENTS, VideoCallRecordService } from './record.service';
import { VideoCallSanctionsController } from './sanctions.controller';
import { VideoCallSettingsService } from './video-call-settings.service';

/**
 * The detainee's video-call record (contacts, charter, phone account, access, sanctioned numbers) and
 * the establishment's list of sanctioned numbers (sanction, early lifting). Its
 * own module for the charter's upload middleware; the charters' scans are in the encrypted document
 * store, in a sub-folder of the documents folder (the permits' key).
 */
@Module({
  imports: [EstablishmentsModule, NotificationsModule],
  controllers: [VideoCallRecordController, VideoCallSanctionsController],
  providers: [
    VideoCallSettingsService,
    VideoCallRecordService,
    {
      provide: VIDEO_CALL_DOCUMENTS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new PermitFileStore(join(resolve(projectRoot(), config.documents.dir), 'video-calls'), config.documents.key),
    },
  ],
})
export class VideoCallRecordModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_UPLOAD_BYTES))
      .forRoutes({ path: 'etablissements/:establishment/visio/detenus/:detaineeId/charte', method: RequestMethod.POST });
  }
}
