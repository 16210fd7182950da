import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { AuthModule } from '../auth/auth.module';
import { FamiliesModule } from '../families/families.module';
import { MyDataController } from './my-data.controller';
import { MyDataService } from './my-data.service';

/**
 * « Mes données » (RGPD rights, issue #16): the family's export (PDF, JSON) and the closure of its account.
 * It reads the family's data across the tables that hold it (my-data.queries.ts), writes only through the
 * owners' services (families, appointments) and signs the family out through auth's SignOutService.
 * Nothing imports it.
 */
@Module({
  imports: [FamiliesModule, AppointmentsModule, AuthModule],
  controllers: [MyDataController],
  providers: [MyDataService],
})
export class MyDataModule {}
