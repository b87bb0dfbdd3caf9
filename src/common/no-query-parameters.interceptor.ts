import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Observable } from 'rxjs';
import { ValidationProblem } from './problem.js';

/**
 * A query parameter a route does not take is refused (400), never silently ignored:
 * `?asOf=` on a route that cannot honour it would otherwise answer today's state as if
 * it were the past's. Routes that take parameters declare them in a @Query() DTO,
 * whose validation refuses unknown ones; this covers the routes that take none.
 */
@Injectable()
export class NoQueryParametersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>();
    const given = Object.keys(request.query ?? {});
    if (given.length > 0 && context.getType() === 'http' && !takesQuery(context)) {
      throw new ValidationProblem(given.map((field) => ({ field, messages: [`${field} is not a parameter of this route`] })));
    }
    return next.handle();
  }
}

function takesQuery(context: ExecutionContext): boolean {
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(params).some((key) => key.split(':')[0] === String(RouteParamtypes.QUERY));
}
