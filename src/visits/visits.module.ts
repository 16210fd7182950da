import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { VisitsService } from './visits.service';

/** Visiting rooms and bookings. The pages (calendar administration, family booking, daily list) come with issue #5. */
@Module({
  imports: [AppointmentsModule],
  providers: [VisitsService],
  exports: [VisitsService],
})
export class VisitsModule {}
