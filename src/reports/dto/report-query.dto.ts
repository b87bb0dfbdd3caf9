import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ClaimFilterDto } from '../../claims/dto/claim-query.dto.js';
import { AsOfQueryDto, BooleanQuery } from '../../common/query.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, type ReportFormat } from '../../vocabulary/report-formats.js';

export class ReportQueryDto extends IntersectionType(ClaimFilterDto, AsOfQueryDto) {
  @ApiPropertyOptional({
    enum: REPORT_FORMAT_NAMES,
    default: 'json',
    description: Object.entries(REPORT_FORMATS).map(([name, { about }]) => `${name} (${about})`).join(', '),
  })
  @IsOptional()
  @IsIn(REPORT_FORMAT_NAMES)
  format: ReportFormat = 'json';

  /**
   * CSV only: whether the file starts with a UTF-8 byte-order mark (default true), which
   * spreadsheet programs need to read non-Latin text as UTF-8; `false` omits it.
   */
  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  bom: boolean = true;

  /** A token from POST /reports/claims/tokens, for a browser following a download link (it cannot send headers). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  token?: string;
}
