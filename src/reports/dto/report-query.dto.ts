import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ClaimFilterDto } from '../../claims/dto/claim-query.dto.js';
import { AsOfQueryDto } from '../../common/query.js';

export const REPORT_FORMATS = ['json', 'csv', 'md', 'html', 'jsonld'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportQueryDto extends IntersectionType(ClaimFilterDto, AsOfQueryDto) {
  /** json (full data), csv (one row per claim), md (Markdown), html (printable page), jsonld (schema.org ClaimReview). */
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format: ReportFormat = 'json';
}
