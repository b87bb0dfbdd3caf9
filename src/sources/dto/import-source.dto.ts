import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { CreateSourceDto } from './create-source.dto.js';
import { SourceResponse } from './source.response.js';

/**
 * The fields that may come with an uploaded document (multipart form fields). Each one given
 * replaces what the document's own metadata proposes; the text always comes from the file.
 */
export class ImportSourceFieldsDto extends PartialType(OmitType(CreateSourceDto, ['fullText', 'dateInferred'] as const)) {}

/** What the document's own metadata says (HTML meta tags and lang, PDF info), for the analyst to confirm. */
export class ProposedMetadata {
  @ApiPropertyOptional()
  title?: string;
  @ApiPropertyOptional()
  author?: string;
  @ApiPropertyOptional()
  outlet?: string;
  @ApiPropertyOptional({ example: '2024-03-01' })
  publishedOn?: string;
  @ApiPropertyOptional({ example: 'ru' })
  language?: string;
}

export class SourceFileResponse {
  @ApiProperty({ description: 'Hex SHA-256 of the file as uploaded.' })
  sha256: string;
  @ApiProperty({ enum: ['text/html', 'application/pdf', 'text/plain', 'text/markdown'], description: 'What the file is, from its content.' })
  mediaType: string;
  @ApiProperty()
  filename: string;
  @ApiProperty({ description: 'Bytes.' })
  size: number;
}

export class ImportPreviewResponse {
  @ApiProperty({ type: SourceFileResponse })
  file: SourceFileResponse;
  @ApiProperty({ type: ProposedMetadata })
  proposed: ProposedMetadata;
  @ApiProperty({ description: 'The extracted text, as it would be stored and quotes checked against.' })
  text: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The source already imported from the same file, if any.' })
  existingSourceId: string | null;
}

export class ImportedSourceResponse extends SourceResponse {
  @ApiProperty({ type: SourceFileResponse })
  file: SourceFileResponse;
  @ApiProperty({ type: ProposedMetadata, description: "What the document's metadata proposed (fields sent with the upload took precedence)." })
  proposed: ProposedMetadata;
  @ApiProperty({ description: 'The same file had been imported before: this is that source, unchanged.' })
  duplicate: boolean;
}
