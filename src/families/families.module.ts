import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { FamiliesController } from './families.controller';
import { LanguageController } from './language.controller';
import { FamiliesService } from './families.service';
import { FamilyAccount } from './family-account.entity';

@Module({
  imports: [TypeOrmModule.forFeature([FamilyAccount]), NotificationsModule],
  controllers: [FamiliesController, LanguageController],
  providers: [FamiliesService],
  exports: [FamiliesService],
})
export class FamiliesModule {}
