import { HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';

/**
 * A route parameter that must be a UUID: anything else is a page that does not exist (404), never a
 * 400 nor a database error. `@IdParam()` reads `:id`; `@IdParam('stayId')` another parameter.
 */
export const IdParam = (name = 'id') => Param(name, new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.NOT_FOUND }));
