import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { Establishment } from './establishment.entity';
import { EstablishmentsService } from './establishments.service';

/** The establishment of a `/etablissements/:establishment/…` URL, read once the guard has let the request in. */
@Injectable()
export class EstablishmentByCode implements PipeTransform<string, Promise<Establishment>> {
  constructor(private readonly establishments: EstablishmentsService) {}

  transform(code: string): Promise<Establishment> {
    return this.establishments.byCode(code);
  }
}

/**
 * The handler's parameter for the establishment named in the URL: resolved once per request, after
 * the access guard checked the agent's role there (404 if no such establishment).
 */
export const CurrentEstablishment = () => Param('establishment', EstablishmentByCode);
