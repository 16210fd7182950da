import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { LetterRow, letterOfEstablishment, letterOfFamily, letterPdf } from './letters';
import { AuditService } from '../common/audit.service';

function sendLetter(res: Response, letter: LetterRow | null, pdf: Buffer | null): void {
  if (!letter || !pdf) throw new DomainError('NOT_FOUND', 'Courrier introuvable.', 404);
  res
    .set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="courrier-${letter.kind.toLowerCase()}-${letter.id.slice(0, 8)}.pdf"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(pdf);
}

/** The letters issued about requests and permits, as PDFs: to the family they are addressed to, and to the establishment's staff. */
@Controller()
export class PermitLettersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get('courriers/:id')
  @Roles('FAMILY')
  async family(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const letter = await letterOfFamily(this.dataSource.manager, principal.id, id);
    sendLetter(res, letter, letter ? await letterPdf(letter) : null);
  }

  @Get('etablissements/:establishment/permis/courriers/:id')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async staff(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const letter = await letterOfEstablishment(this.dataSource.manager, establishment.id, id);
    if (letter) {
      await this.audit.recordRead(actorOf(principal), {
        action: 'LETTER_READ',
        entityType: 'letter',
        entityId: letter.id,
        establishmentId: establishment.id,
        details: { kind: letter.kind },
      });
    }
    sendLetter(res, letter, letter ? await letterPdf(letter) : null);
  }
}
