import { HttpStatus, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { flattenValidationErrors, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import { MAX_FULL_TEXT } from './dto/create-source.dto.js';
import { ImportSourceFieldsDto, type ImportedSourceResponse, type ImportPreviewResponse, type ProposedMetadata, type SourceFileResponse } from './dto/import-source.dto.js';
import { DocumentProblem, extractDocument, type ExtractedDocument } from './document-extraction.js';
import { SourcesService } from './sources.service.js';

/** An uploaded file, read once into memory (the one copy), with its hash. */
interface Upload {
  bytes: Buffer;
  declaredType: string;
  filename: string;
  sha256: string;
  fields: Record<string, string>;
}

const PUBLISHED_ON = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/**
 * Turning a document into a source: the file is read (bounded by IMPORT_MAX_BYTES), recognised
 * if it was imported before (same SHA-256), its text and metadata extracted
 * (document-extraction.ts), and the source and the file stored in one transaction.
 */
@Injectable()
export class SourceImportService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sources: SourcesService,
    private readonly config: AppConfig,
  ) {}

  /** The text and metadata the file would give, and whether it was imported already; nothing is stored. */
  async preview(request: FastifyRequest): Promise<ImportPreviewResponse> {
    const upload = await this.read(request);
    const existing = await this.prisma.sourceFile.findUnique({ where: { sha256: upload.sha256 }, select: { sourceId: true } });
    const document = await extract(upload);
    return { file: fileOf(upload, document.mediaType), proposed: proposedOf(document), text: document.text, existingSourceId: existing?.sourceId ?? null };
  }

  /** Creates the source (201), or answers the one imported from the same file before (200, `duplicate`). */
  async import(actor: Principal, request: FastifyRequest): Promise<{ created: boolean; source: ImportedSourceResponse }> {
    const upload = await this.read(request);
    const fields = await validFields(upload.fields);
    const before = await this.existing(upload.sha256);
    if (before) return { created: false, source: before };
    const document = await extract(upload);
    const proposed = proposedOf(document);
    const title = fields.title ?? proposed.title;
    if (!title) throw unprocessable('title', 'The document names no title: send one with the upload.');
    if (document.text.length > MAX_FULL_TEXT) throw unprocessable('file', `The extracted text has ${document.text.length} characters; a source holds at most ${MAX_FULL_TEXT}.`);
    try {
      const source = await this.prisma.$transaction(async (tx) => {
        const created = await this.sources.createIn(tx, actor, {
          kind: document.kind === 'html' ? 'news_report' : 'other',
          ...proposed,
          ...fields,
          title,
          fullText: document.text,
        });
        await tx.sourceFile.create({
          data: { sourceId: created.id, sha256: upload.sha256, mediaType: document.mediaType, filename: upload.filename, size: upload.bytes.length, content: upload.bytes as Uint8Array<ArrayBuffer> },
        });
        return created;
      });
      return { created: true, source: { ...source, file: fileOf(upload, document.mediaType), proposed, duplicate: false } };
    } catch (error) {
      // The same file uploaded twice at once: the first stored it, the second answers with it.
      const again = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002' ? await this.existing(upload.sha256) : undefined;
      if (again) return { created: false, source: again };
      throw error;
    }
  }

  /** The stored original of a source imported from a file. */
  async original(sourceId: string): Promise<{ content: Buffer; mediaType: string; filename: string } | null> {
    const file = await this.prisma.sourceFile.findUnique({ where: { sourceId }, select: { content: true, mediaType: true, filename: true } });
    // A view of the bytes read, not a copy: the file may be 20 MB.
    return file && { ...file, content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength) };
  }

  private async existing(sha256: string): Promise<ImportedSourceResponse | undefined> {
    const file = await this.prisma.sourceFile.findUnique({ where: { sha256 }, select: { sourceId: true, sha256: true, mediaType: true, filename: true, size: true } });
    if (!file) return undefined;
    const { sourceId, ...stored } = file;
    return { ...(await this.sources.get(sourceId)), file: stored, proposed: {}, duplicate: true };
  }

  /** Reads the multipart request: one file part named `file` (bounded by IMPORT_MAX_BYTES) and text fields. */
  private async read(request: FastifyRequest): Promise<Upload> {
    if (!request.isMultipart()) throw new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'Send the document as multipart/form-data, in a part named "file".');
    const fields: Record<string, string> = {};
    let file: Omit<Upload, 'fields'> | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') fields[part.fieldname] = String(part.value);
        else if (part.fieldname !== 'file' || file) {
          await part.toBuffer();
          throw new ValidationProblem([{ field: part.fieldname, messages: ['one file, in a part named "file"'] }]);
        } else {
          const bytes = await part.toBuffer();
          file = { bytes, declaredType: part.mimetype, filename: part.filename || 'document', sha256: createHash('sha256').update(bytes).digest('hex') };
        }
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw new Problem(HttpStatus.PAYLOAD_TOO_LARGE, `A document may have at most ${this.config.importMaxBytes} bytes, in one file part.`);
      }
      throw error;
    }
    if (!file) throw new ValidationProblem([{ field: 'file', messages: ['a document is required, in a part named "file"'] }]);
    if (file.bytes.length === 0) throw unprocessable('file', 'The file is empty.');
    return { ...file, fields };
  }
}

async function validFields(fields: Record<string, string>): Promise<ImportSourceFieldsDto> {
  const dto = plainToInstance(ImportSourceFieldsDto, fields);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationProblem(flattenValidationErrors(errors));
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined && value !== '')) as ImportSourceFieldsDto;
}

async function extract(upload: Upload): Promise<ExtractedDocument> {
  try {
    return await extractDocument(upload.bytes, upload.declaredType, upload.filename);
  } catch (error) {
    if (!(error instanceof DocumentProblem)) throw error;
    if (error.status === 415) throw new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, error.message);
    throw unprocessable('file', error.message);
  }
}

function proposedOf(document: ExtractedDocument): ProposedMetadata {
  const { title, author, outlet, publishedOn, language } = document;
  const proposed = { title: title?.slice(0, 500), author, outlet, publishedOn: publishedOn && PUBLISHED_ON.test(publishedOn) ? publishedOn : undefined, language };
  return Object.fromEntries(Object.entries(proposed).filter(([, value]) => value)) as ProposedMetadata;
}

const fileOf = (upload: Upload, mediaType: string): SourceFileResponse => ({ sha256: upload.sha256, mediaType, filename: upload.filename, size: upload.bytes.length });
