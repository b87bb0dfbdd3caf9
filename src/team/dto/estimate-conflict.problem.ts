import { ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDetails } from '../../common/openapi.js';
import { EstimateResponse } from './estimate.response.js';

export class EstimateConflictProblem extends ProblemDetails {
  /** Your chain's version now: resubmit on top of it. */
  @ApiPropertyOptional()
  currentVersion?: number;
  /** Your latest version, which the request did not build on. */
  @ApiPropertyOptional({ type: EstimateResponse, nullable: true })
  current?: EstimateResponse | null;
}
