import { Module } from '@nestjs/common';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { VideoCallBookingModule } from './booking.module';
import { VideoCallCodesModule } from './codes.module';
import { VideoCallRecordModule } from './record.module';
import { VideoCallStatisticsController } from './statistics.controller';
import { VideoCallStatisticsService } from './statistics.service';
import { VideoCallSettingsController } from './video-call-settings.controller';
import { VideoCallSettingsService } from './video-call-settings.service';

/**
 * Video calls (visiophonie, issue 12): the establishment's settings and devices, the detainee's record,
 * bookings, the contact's codes and the call's charging, access decision letters and statistics, on
 * the tables of migration VideoCalls.
 */
@Module({
  imports: [EstablishmentsModule, VideoCallRecordModule, VideoCallBookingModule, VideoCallCodesModule],
  controllers: [VideoCallSettingsController, VideoCallStatisticsController],
  providers: [VideoCallSettingsService, VideoCallStatisticsService],
  exports: [VideoCallSettingsService],
})
export class VideoCallsModule {}
