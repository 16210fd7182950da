import { Module } from '@nestjs/common';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { VideoCallBookingModule } from './booking.controller';
import { VideoCallCodesModule } from './codes.controller';
import { VideoCallRecordModule } from './record.module';
import { VideoCallSettingsController } from './video-call-settings.controller';
import { VideoCallSettingsService } from './video-call-settings.service';

/**
 * Video calls (visiophonie, issue 12): the establishment's settings and devices so far; bookings,
 * the detainee's record, codes and charging come next on the same tables (migration VideoCalls).
 */
@Module({
  imports: [EstablishmentsModule, VideoCallRecordModule, VideoCallBookingModule, VideoCallCodesModule],
  controllers: [VideoCallSettingsController],
  providers: [VideoCallSettingsService],
  exports: [VideoCallSettingsService],
})
export class VideoCallsModule {}
