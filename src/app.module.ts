import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from './agents/agents.module';
import { AppointmentsModule } from './appointments/appointments.module';
import { AuthModule } from './auth/auth.module';
import { PrincipalMiddleware } from './auth/principal.middleware';
import { AccessGuard } from './auth/access.guard';
import { CommonModule } from './common/common.module';
import { AllExceptionsFilter } from './common/exception.filter';
import { InputGuard } from './common/input.guard';
import { APP_CONFIG, type AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source-options';
import { DetaineesModule } from './detainees/detainees.module';
import { EstablishmentsModule } from './establishments/establishments.module';
import { FamiliesModule } from './families/families.module';
import { FamilySpaceModule } from './family-space/family-space.module';
import { FamilyVisitsModule } from './family-visits/family-visits.module';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { LegalController } from './home/legal.controller';
import { HowItWorksController } from './home/how-it-works.controller';
import { MyDataModule } from './my-data/my-data.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OversightModule } from './oversight/oversight.module';
import { PermitsModule } from './permits/permits.module';
import { VideoCallsModule } from './video-calls/video-calls.module';
import { VisitsModule } from './visits/visits.module';

@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl, config.sqlCaptureFile), migrationsRun: true }),
        CommonModule,
        EstablishmentsModule,
        FamiliesModule,
        AgentsModule,
        AuthModule,
        DetaineesModule,
        NotificationsModule,
        AppointmentsModule,
        PermitsModule,
        VisitsModule,
        FamilyVisitsModule,
        VideoCallsModule,
        FamilySpaceModule,
        MyDataModule,
        OversightModule,
      ],
      controllers: [HomeController, LegalController, HowItWorksController, HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: InputGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [APP_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    // '{*path}': every path, the home page « / » included (« *path » needs one segment at least).
    consumer.apply(PrincipalMiddleware).forRoutes('{*path}');
  }
}
