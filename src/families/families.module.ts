import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FamiliesController } from './families.controller';
import { LanguageController } from './language.controller';
import { FamiliesService } from './families.service';
import { FamilyAccount } from './family-account.entity';

@Module({
  imports: [TypeOrmModule.forFeature([FamilyAccount])],
  controllers: [FamiliesController, LanguageController],
  providers: [FamiliesService],
  exports: [FamiliesService],
})
export class FamiliesModule {}
