import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { CurrentPrincipal, Public, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { VideoCallBookingService } from './booking.service';
import { CODE_MESSAGES } from './code.rules';
import { CANCELLED_MESSAGE, VideoCallCodesService } from './codes.service';
import { euros } from './cost.rules';
import { durationLabel, parseDuration } from './held.rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE_FORMAT = 'Saisissez les 6 chiffres du code reçu par SMS.';

function text(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 50) : '';
}

/**
 * The contact's side of the code (public, no sign-in: the link of the SMS, rate limited by main.ts like the
 * sign-in routes, CSRF-protected), and the officer's record of a call held (with its real duration) or not
 * honoured, from the day's list.
 */
@Controller()
export class VideoCallCodesController {
  constructor(
    private readonly codes: VideoCallCodesService,
    private readonly booking: VideoCallBookingService,
  ) {}

  @Get('visio/code')
  @Public()
  async codeForm(@Query('appel') appel: unknown, @Res() res: Response) {
    const codeId = UUID.test(text(appel)) ? text(appel) : null;
    if (!codeId || !(await this.codes.codeExists(codeId))) return res.status(404).render('video-calls/code.njk', { codeId: null });
    res.render('video-calls/code.njk', { codeId, errors: [], values: {} });
  }

  @Post('visio/code')
  @Public()
  async checkCode(@Body() body: Record<string, unknown>, @Res() res: Response) {
    const codeId = UUID.test(text(body.appel)) ? text(body.appel) : null;
    if (!codeId) return res.status(404).render('video-calls/code.njk', { codeId: null });
    const typed = text(body.code);
    if (!/^\d{6}$/.test(typed.replace(/\s/g, ''))) {
      if (!(await this.codes.codeExists(codeId))) return res.status(404).render('video-calls/code.njk', { codeId: null });
      return res
        .status(400)
        .render('video-calls/code.njk', { codeId, errors: [{ field: 'code', message: CODE_FORMAT }], values: { code: typed } });
    }
    const answer = await this.codes.checkOnPage(codeId, typed);
    if (answer.result === 'ACCEPTED') return res.status(200).render('video-calls/code.njk', { codeId, accepted: CODE_MESSAGES.ACCEPTED });
    if (answer.result === 'WRONG') {
      const left = answer.attemptsLeft ?? 0;
      const message =
        left > 0
          ? `${CODE_MESSAGES.WRONG} Il vous reste ${left} essai${left > 1 ? 's' : ''}.`
          : `${CODE_MESSAGES.WRONG} C’était le dernier essai : ce code est maintenant bloqué.`;
      if (left > 0)
        return res.status(400).render('video-calls/code.njk', { codeId, errors: [{ field: 'code', message }], values: { code: typed } });
      return res.status(409).render('video-calls/code.njk', { codeId, refused: message });
    }
    const refused = answer.result === 'CANCELLED' ? CANCELLED_MESSAGE : CODE_MESSAGES[answer.result];
    res.status(409).render('video-calls/code.njk', { codeId, refused });
  }

  /** The officer records the call: held with its real duration, or not honoured. */
  @Get('etablissements/:establishment/visio/appels/:id/bilan')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async outcomeForm(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const call = await this.booking.booking(establishment, id);
    res.render('video-calls/held.njk', { establishment, call, errors: [], values: {} });
  }

  /** The read-back: what is charged and released, before it is recorded. */
  @Post('etablissements/:establishment/visio/appels/:id/bilan/relire')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async outcomeReadBack(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const call = await this.booking.booking(establishment, id);
    const form = this.outcomeOf(body);
    if ('errors' in form)
      return res.status(400).render('video-calls/held.njk', { establishment, call, errors: form.errors, values: form.values });
    const money = await this.codes.preview(establishment, id, form.seconds);
    res.status(200).render('video-calls/held-confirm.njk', {
      establishment,
      call,
      values: form.values,
      duration: form.seconds === null ? null : durationLabel(form.seconds),
      charged: euros(money.chargedCents),
      released: euros(money.releasedCents),
    });
  }

  @Post('etablissements/:establishment/visio/appels/:id/bilan')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async recordOutcome(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = this.outcomeOf(body);
    if ('errors' in form) throw new DomainError('BAD_OUTCOME', 'Bilan incomplet : reprenez depuis la liste du jour.', 400);
    try {
      await this.codes.recordOutcome(actorOf(p), establishment, id, form.seconds);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      const call = await this.booking.booking(establishment, id);
      return res
        .status(e.status)
        .render('video-calls/held.njk', { establishment, call, errors: [{ field: 'issue', message: e.message }], values: form.values });
    }
    res.redirect(303, `/etablissements/${establishment.code}/visio/appels/${id}?fait=bilan`);
  }

  /**
   * The officer sends now the code the job did not send (« code non envoyé » on the day's list): the job's
   * own path; sent, already sent (nothing sent again) or the call cancelled instead (its page says why).
   */
  @Post('etablissements/:establishment/visio/appels/:id/code')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async sendCode(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const base = `/etablissements/${establishment.code}/visio`;
    try {
      const outcome = await this.codes.sendCodeNow(actorOf(p), establishment, id);
      if (outcome.result === 'CANCELLED') return res.redirect(303, `${base}/appels/${id}?fait=non-envoye`);
      const call = await this.booking.booking(establishment, id);
      res.redirect(303, `${base}/jour?date=${call.day}&fait=${outcome.result === 'SENT' ? 'code' : 'deja'}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      const call = await this.booking.booking(establishment, id);
      res.status(e.status).render('video-calls/booking-day.njk', {
        establishment,
        ...(await this.booking.dayView(establishment, call.day)),
        problem: e.message,
      });
    }
  }

  private outcomeOf(body: Record<string, unknown>) {
    const values = { issue: text(body.issue), duree: text(body.duree) };
    if (values.issue === 'absent') return { seconds: null, values };
    if (values.issue !== 'passe') return { errors: [{ field: 'issue', message: 'Indiquez si l’appel a eu lieu.' }], values };
    const seconds = parseDuration(values.duree);
    if (seconds === null)
      return { errors: [{ field: 'duree', message: 'Indiquez la durée réelle en minutes:secondes, par exemple 12:34.' }], values };
    return { seconds, values };
  }
}

/**
 * The adapter endpoint the external video service calls: POST /api/visio/codes/verifier, JSON
 * { appel: <the code's id, from the SMS link>, code }, `Authorization: Bearer <VIDEO_SERVICE_API_KEY>`
 * (compared in constant time). Mounted by main.ts outside the app's session, CSRF and form-only body
 * parsing (a machine, not a browser, calls it), rate limited like the sign-in routes. The code is checked
 * as on the contact's page (each wrong attempt counted against it, the 6th refused). Answers
 * { ok: true, bookingId } or one generic { ok: false, reason: 'REFUSED' } for every refusal (wrong, expired,
 * used, locked, cancelled, unknown call: nothing tells which codes or calls exist), 401 without the key.
 */
export function videoServiceApi(codes: VideoCallCodesService): Router {
  const router = Router();
  router.post('/codes/verifier', (req: Request, res: Response, next: NextFunction) => {
    const auth = req.headers.authorization;
    const key = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (!codes.serviceKeyMatches(key)) return void res.status(401).json({ ok: false, reason: 'UNAUTHORIZED' });
    next();
  });
  router.post('/codes/verifier', express.json({ limit: '1kb' }), (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as { appel?: unknown; code?: unknown } | undefined;
    if (typeof body?.code !== 'string' || typeof body.appel !== 'string')
      return void res.status(400).json({ ok: false, reason: 'BAD_REQUEST' });
    codes
      .checkForService(body.appel, body.code)
      .then((a) => res.json(a.result === 'ACCEPTED' ? { ok: true, bookingId: a.bookingId } : { ok: false, reason: 'REFUSED' }))
      .catch(next);
  });
  router.use((err: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    void next;
    res
      .status(err.status && err.status < 500 ? err.status : 500)
      .json({ ok: false, reason: err.status && err.status < 500 ? 'BAD_REQUEST' : 'ERROR' });
  });
  return router;
}
