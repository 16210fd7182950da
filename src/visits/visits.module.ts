import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { FamiliesModule } from '../families/families.module';
import { FamilyVisitsController } from './family-visits.controller';
import { StaffVisitsController } from './staff-visits.controller';
import { VisitsAdminController } from './visits-admin.controller';
import { VisitsAdminService } from './visits-admin.service';
import { VisitsService } from './visits.service';

/** Visiting rooms and bookings. The administration of the calendar is here; family booking and the daily list come next (issue #5). */
@Module({
  imports: [AppointmentsModule, EstablishmentsModule, FamiliesModule],
  controllers: [VisitsAdminController, FamilyVisitsController, StaffVisitsController],
  providers: [VisitsService, VisitsAdminService],
  exports: [VisitsService],
})
export class VisitsModule {}
