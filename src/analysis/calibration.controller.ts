import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadAccess } from '../auth/access.decorators.js';
import { CalibrationService } from './calibration.service.js';
import { CalibrationResponse } from './dto/calibration.response.js';

@ApiTags('analysis')
@Controller('calibration')
export class CalibrationController {
  constructor(private readonly calibration: CalibrationService) {}

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'How well calibrated the analysts have been: Brier scores and predicted band against observed frequency.' })
  @ApiOkResponse({ type: CalibrationResponse })
  get(): Promise<CalibrationResponse> {
    return this.calibration.calibration();
  }
}
