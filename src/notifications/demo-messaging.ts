import express, { Router } from 'express';
import { simpleParser } from 'mailparser';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { DEMO_SMS_API_KEY } from '../config/config';

/**
 * Demo mode only: a local SMTP server and a local endpoint speaking the SMS provider's API. What
 * they receive is kept in demo_inbox and shown on the "Messages envoyés" page.
 */
export async function startDemoSmtp(pool: Pool, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'P2V demo SMTP',
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
          await pool.query(`INSERT INTO demo_inbox (channel, recipient, subject, body, attachments) VALUES ('EMAIL', $1, $2, $3, $4)`, [
            to,
            mail.subject ?? null,
            mail.text ?? '',
            mail.attachments.map((a) => `${a.filename ?? 'piece-jointe'} (${a.contentType})`),
          ]);
          callback();
        })
        .catch((e) => callback(e as Error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as { port: number };
  return { port: address.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Brevo-compatible POST /v3/transactionalSMS/sms, mounted at /demo-sms. */
export function demoSmsRouter(pool: Pool): Router {
  const router = Router();
  router.post('/v3/transactionalSMS/sms', express.json({ limit: '20kb' }), async (req, res, next) => {
    try {
      if (req.get('api-key') !== DEMO_SMS_API_KEY) return void res.status(401).json({ code: 'unauthorized', message: 'Key not found' });
      const { sender, recipient, content } = req.body ?? {};
      if (
        typeof recipient !== 'string' ||
        !/^[1-9][0-9]{6,14}$/.test(recipient) ||
        typeof content !== 'string' ||
        !content ||
        typeof sender !== 'string'
      ) {
        return void res.status(400).json({ code: 'invalid_parameter', message: 'sender, recipient and content are required' });
      }
      const [row] = (
        await pool.query(`INSERT INTO demo_inbox (channel, recipient, body) VALUES ('SMS', $1, $2) RETURNING id`, [
          `+${recipient}`,
          content,
        ])
      ).rows;
      res.status(201).json({ reference: `demo-${row.id}`, messageId: Number(row.id), smsCount: 1, usedCredits: 1, remainingCredits: 1000 });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
