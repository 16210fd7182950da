import express, { Router } from 'express';
import { simpleParser } from 'mailparser';
import type { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { DEMO_SMS_API_KEY } from '../config/config';
import { insertCaptured } from './demo-inbox.queries';

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
          await insertCaptured(pool, {
            channel: 'EMAIL',
            recipient: session.envelope.rcptTo.map((r) => r.address).join(', '),
            subject: mail.subject ?? null,
            body: mail.text ?? '',
            attachments: mail.attachments.map((a) => `${a.filename ?? 'piece-jointe'} (${a.contentType})`),
          });
          callback();
        })
        .catch((e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as { port: number };
  return { port: address.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The body of the SMS provider's "send a transactional SMS" call, as far as the demo reads it. */
interface SmsRequest {
  sender?: unknown;
  recipient?: unknown;
  content?: unknown;
}

/** Brevo-compatible POST /v3/transactionalSMS/sms, mounted at /demo-sms. */
export function demoSmsRouter(pool: Pool): Router {
  const router = Router();
  router.post('/v3/transactionalSMS/sms', express.json({ limit: '20kb' }), (req, res, next) => {
    if (req.get('api-key') !== DEMO_SMS_API_KEY) return void res.status(401).json({ code: 'unauthorized', message: 'Key not found' });
    const { sender, recipient, content } = (req.body ?? {}) as SmsRequest;
    if (
      typeof recipient !== 'string' ||
      !/^[1-9][0-9]{6,14}$/.test(recipient) ||
      typeof content !== 'string' ||
      !content ||
      typeof sender !== 'string'
    ) {
      return void res.status(400).json({ code: 'invalid_parameter', message: 'sender, recipient and content are required' });
    }
    insertCaptured(pool, { channel: 'SMS', recipient: `+${recipient}`, subject: null, body: content, attachments: [] })
      .then((id) =>
        res.status(201).json({ reference: `demo-${id}`, messageId: Number(id), smsCount: 1, usedCredits: 1, remainingCredits: 1000 }),
      )
      .catch(next);
  });
  return router;
}
