import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';

export const AUDITED_ENTITIES = ['user', 'apiKey', 'source', 'claim', 'appearance', 'evidence', 'assessment', 'estimate', 'question'] as const;

export class AuditQueryDto extends PageQueryDto {
  /** Only events about this record. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ enum: AUDITED_ENTITIES })
  @IsOptional()
  @IsIn(AUDITED_ENTITIES)
  entityType?: string;

  /** Only events about this claim: the claim itself, its appearances, evidence, assessment versions and estimates. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  claimId?: string;

  /** Only events by this user. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'cursor must be a nextCursor value' })
  declare cursor?: string;
}
