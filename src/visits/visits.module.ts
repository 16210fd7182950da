import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AppointmentsService } from '../appointments/appointments.service';
import { uploadMiddleware } from '../common/upload.middleware';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SignedTokens } from '../common/signed-tokens';
import { FamilyVisitsController } from './family-visits.controller';
import { ConvocationScanController, MAX_VISIT_LIST_BYTES, ParloirController, VISIT_TOKENS } from './parloir.controller';
import { StaffVisitsController } from './staff-visits.controller';
import { VisitDayService } from './visit-day.service';
import { VisitImportService } from './visit-import.service';
import { VisitsAdminController } from './visits-admin.controller';
import { VisitsAdminService } from './visits-admin.service';
import { VisitsService } from './visits.service';
import { WaitlistService } from './waitlist.service';

/** Visiting rooms: the calendar, bookings and the waiting list, and the day at the visiting rooms. */
@Module({
  imports: [AppointmentsModule, EstablishmentsModule, FamiliesModule, NotificationsModule],
  controllers: [VisitsAdminController, FamilyVisitsController, StaffVisitsController, ParloirController, ConvocationScanController],
  providers: [
    VisitsService,
    VisitsAdminService,
    VisitDayService,
    VisitImportService,
    WaitlistService,
    {
      // The convocation's QR code signs its appointment id; the link opens the arrival check.
      provide: VISIT_TOKENS,
      inject: [APP_CONFIG, AppointmentsService],
      useFactory: (config: AppConfig, appointments: AppointmentsService) => {
        const tokens = new SignedTokens(config.sessionSecret, 'visit-qr-token', 'P2VV');
        appointments.onTemplateData('VISIT', (a) => ({ qr: `${config.appUrl}/parloir/convocation/${tokens.sign(a.id)}` }));
        return tokens;
      },
    },
  ],
  exports: [VisitsService],
})
export class VisitsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(uploadMiddleware('fichier', MAX_VISIT_LIST_BYTES))
      .forRoutes({ path: 'etablissements/:establishment/parloir/import', method: RequestMethod.POST });
  }
}
