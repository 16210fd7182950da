import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppointmentsService } from '../appointments/appointments.service';
import { SignedTokens } from '../common/signed-tokens';
import { APP_CONFIG, type AppConfig } from '../config/config';

/**
 * The convocation's QR code: its appointment id, signed (purpose `visit-qr-token`, prefix `P2VV`).
 * The link it encodes opens the visit at the arrival check (ConvocationScanController).
 */
@Injectable()
export class VisitTokens implements OnModuleInit {
  private readonly tokens: SignedTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly appointments: AppointmentsService,
  ) {
    this.tokens = new SignedTokens(config.sessionSecret, 'visit-qr-token', 'P2VV');
  }

  /** Hook: a visit's messages carry the QR code link (`qr`), rendered by the outbox as an inline image. */
  onModuleInit(): void {
    this.appointments.onTemplateData('VISIT', (a) => ({ qr: `${this.config.appUrl}/parloir/convocation/${this.sign(a.id)}` }));
  }

  sign(appointmentId: string): string {
    return this.tokens.sign(appointmentId);
  }

  /** The appointment id of a valid code, or null. */
  verify(token: string): string | null {
    return this.tokens.verify(token);
  }
}
