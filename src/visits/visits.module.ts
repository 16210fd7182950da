import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { uploadMiddleware } from '../common/upload.middleware';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamilyVisitsController } from './family-visits.controller';
import { ConvocationScanController, MAX_VISIT_LIST_BYTES, ParloirController } from './parloir.controller';
import { StaffVisitsController } from './staff-visits.controller';
import { VisitBookingService } from './visit-booking.service';
import { VisitDayService } from './visit-day.service';
import { VisitImportService } from './visit-import.service';
import { VisitReadService } from './visit-read.service';
import { VisitTokens } from './visit-tokens';
import { VisitsAdminController } from './visits-admin.controller';
import { VisitsAdminService } from './visits-admin.service';
import { WaitlistService } from './waitlist.service';
import { VisitIncidentsController } from './visit-incidents.controller';
import { VisitIncidentsService } from './visit-incidents.service';
import { VisitRestrictionsController } from './visit-restrictions.controller';
import { VisitRestrictionsService } from './visit-restrictions.service';

/**
 * Visiting rooms: the calendar, bookings and the waiting list, and the day at the visiting rooms.
 * Hooks registered in onModuleInit: AppointmentsService.onCancel('VISIT') (VisitBookingService),
 * AppointmentsService.onTemplateData('VISIT') (VisitTokens), VisitBookingService.onPlaceFreed (WaitlistService).
 */
@Module({
  imports: [AppointmentsModule, EstablishmentsModule, FamiliesModule, NotificationsModule],
  controllers: [
    VisitsAdminController,
    FamilyVisitsController,
    StaffVisitsController,
    ParloirController,
    ConvocationScanController,
    VisitRestrictionsController,
    VisitIncidentsController,
  ],
  providers: [
    VisitBookingService,
    VisitReadService,
    VisitsAdminService,
    VisitDayService,
    VisitImportService,
    WaitlistService,
    VisitTokens,
    VisitRestrictionsService,
    VisitIncidentsService,
  ],
  exports: [VisitBookingService, VisitReadService, WaitlistService],
})
export class VisitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_VISIT_LIST_BYTES))
      .forRoutes({ path: 'etablissements/:establishment/parloir/import', method: RequestMethod.POST });
  }
}
