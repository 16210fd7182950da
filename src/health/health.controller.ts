import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';
import { execute } from '../common/sql';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** 200 when the database answers within 2 seconds, 503 otherwise. */
  @Get()
  @Public()
  async health(@Res() res: Response) {
    const started = Date.now();
    try {
      await Promise.race([
        execute(this.dataSource.manager, 'SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      res.status(200).json({ status: 'ok', database: { status: 'up', latencyMs: Date.now() - started } });
    } catch {
      res.status(503).json({ status: 'error', database: { status: 'down' } });
    }
  }
}
