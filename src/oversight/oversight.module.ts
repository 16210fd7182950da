import { Module } from '@nestjs/common';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';

/** The DAP's national and interregional view (« Pilotage »): figures per establishment and month. */
@Module({
  controllers: [OversightController],
  providers: [OversightService],
  exports: [OversightService],
})
export class OversightModule {}
