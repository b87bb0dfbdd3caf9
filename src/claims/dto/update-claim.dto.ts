import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateClaimDto } from './create-claim.dto.js';

/** Appearances are added and removed through /claims/:id/appearances. */
export class UpdateClaimDto extends PartialType(OmitType(CreateClaimDto, ['appearances'] as const)) {}
