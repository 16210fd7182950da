import { Module } from '@nestjs/common';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { VideoCallBookingController } from './booking.controller';
import { VideoCallBookingService } from './booking.service';
import { VideoCallSettingsService } from './video-call-settings.service';

/** The booking part of the video-call module (imported by VideoCallsModule): the grid, booking, cancellation, the day's list. */
@Module({
  imports: [EstablishmentsModule, NotificationsModule],
  controllers: [VideoCallBookingController],
  providers: [VideoCallBookingService, VideoCallSettingsService],
})
export class VideoCallBookingModule {}
