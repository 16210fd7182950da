import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Establishment } from './establishment.entity';

@Injectable()
export class EstablishmentsService {
  constructor(@InjectRepository(Establishment) private readonly establishments: Repository<Establishment>) {}

  async byCode(code: string): Promise<Establishment> {
    const found = await this.establishments.findOneBy({ code });
    if (!found) throw new NotFoundException();
    return found;
  }

  all(): Promise<Establishment[]> {
    return this.establishments.find({ order: { name: 'ASC' } });
  }
}
