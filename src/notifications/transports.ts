import nodemailer, { Transporter } from 'nodemailer';
import type { NotificationSettings } from '../config/config';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; content: string | Buffer; contentType: string; cid?: string }[];
}

export interface OutgoingSms {
  id: string;
  to: string; // E.164
  text: string;
  tag: string;
}

export interface Transports {
  email(message: OutgoingEmail): Promise<string | null>;
  sms(message: OutgoingSms): Promise<string | null>;
}

/** E-mail through SMTP (nodemailer). The Message-ID derives from the notification id. */
export class SmtpTransport {
  private readonly transporter: Transporter;

  constructor(
    smtp: NonNullable<NotificationSettings['smtp']>,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      ignoreTLS: !smtp.secure && smtp.host === '127.0.0.1',
    });
  }

  async send(message: OutgoingEmail): Promise<string | null> {
    const domain = /@([^>\s]+)/.exec(this.from)?.[1] ?? 'p2v.local';
    const info = await this.transporter.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? undefined,
      messageId: `<${message.id}@${domain}>`,
      attachments: message.attachments,
    });
    return info.messageId ?? null;
  }

  close() {
    this.transporter.close();
  }
}

/**
 * Transactional SMS through Brevo's HTTP API (POST /v3/transactionalSMS/sms, header api-key), a
 * French provider. See docs/notifications.md. The demo serves the same API at /demo-sms.
 */
export class BrevoSmsTransport {
  constructor(private readonly settings: NonNullable<NotificationSettings['sms']>) {}

  async send(message: OutgoingSms): Promise<string | null> {
    const res = await fetch(`${this.settings.apiUrl}/v3/transactionalSMS/sms`, {
      method: 'POST',
      headers: { 'api-key': this.settings.apiKey, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        sender: this.settings.sender,
        recipient: message.to.replace(/^\+/, ''),
        content: message.text,
        type: 'transactional',
        tag: message.tag,
        unicodeEnabled: true,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`SMS provider answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { messageId?: number | string; reference?: string };
    return body.messageId !== undefined ? String(body.messageId) : (body.reference ?? null);
  }
}
