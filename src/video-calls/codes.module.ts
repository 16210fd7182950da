import { Module } from '@nestjs/common';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { VideoCallBookingService } from './booking.service';
import { VideoCallsRunner } from './calls-runner';
import { VideoCallCodesController } from './codes.controller';
import { VideoCallCodesService } from './codes.service';
import { VideoCallSettingsService } from './video-call-settings.service';

/** Codes and the call's outcome (imported by VideoCallsModule): the code job, the contact's page, the bilan. */
@Module({
  imports: [EstablishmentsModule, NotificationsModule],
  controllers: [VideoCallCodesController],
  providers: [VideoCallCodesService, VideoCallBookingService, VideoCallSettingsService, VideoCallsRunner],
  exports: [VideoCallCodesService],
})
export class VideoCallCodesModule {}
