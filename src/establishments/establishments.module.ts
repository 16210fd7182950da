import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Establishment } from './establishment.entity';
import { EstablishmentInfoRecord, EstablishmentInfoTranslationRecord } from './establishment-info.entity';
import { EstablishmentInfoController } from './establishment-info.controller';
import { EstablishmentsService } from './establishments.service';

@Module({
  imports: [TypeOrmModule.forFeature([Establishment, EstablishmentInfoRecord, EstablishmentInfoTranslationRecord])],
  controllers: [EstablishmentInfoController],
  providers: [EstablishmentsService],
  exports: [EstablishmentsService],
})
export class EstablishmentsModule {}
