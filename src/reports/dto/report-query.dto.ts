import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ClaimFilterDto } from '../../claims/dto/claim-query.dto.js';
import { AsOfQueryDto, BooleanQuery } from '../../common/query.js';

export const REPORT_FORMATS = ['json', 'csv', 'md', 'html', 'jsonld'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportQueryDto extends IntersectionType(ClaimFilterDto, AsOfQueryDto) {
  /** json (full data), csv (one row per claim), md (Markdown), html (printable page), jsonld (schema.org ClaimReview). */
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
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
}
