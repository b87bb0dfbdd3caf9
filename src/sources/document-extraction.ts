import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { constants, inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';

/**
 * Text and metadata out of an uploaded document: HTML (the article's main text, as Firefox's
 * Reader View finds it), PDF, plain text and Markdown. The text is what quotes are checked
 * against, so it is normalised once here: Unicode NFC, line breaks \n, paragraphs separated by
 * one blank line, spaces collapsed within a line.
 *
 * Untrusted input: linkedom builds a DOM without running scripts or fetching anything, and
 * Readability only reads it; PDF.js runs without a worker, system fonts or network (`unpdf`'s
 * serverless build, which evaluates no code from the file).
 */
export type DocumentKind = 'html' | 'pdf' | 'text' | 'markdown';

export interface ExtractedDocument {
  kind: DocumentKind;
  mediaType: string;
  text: string;
  /** Proposed from the document's own metadata, for the analyst to confirm. */
  title?: string;
  author?: string;
  outlet?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  publishedOn?: string;
  /** A BCP 47 tag. */
  language?: string;
}

/** Why a document cannot be imported; `status` is the HTTP status it answers. */
export class DocumentProblem extends Error {
  constructor(
    readonly status: 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

const MEDIA_TYPES: Record<DocumentKind, string> = { html: 'text/html', pdf: 'application/pdf', text: 'text/plain', markdown: 'text/markdown' };

/** What the bytes are: sniffed from the content (the declared type and name only tell text from Markdown). */
export function documentKind(bytes: Buffer, declaredType: string, filename: string): DocumentKind {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const head = bytes.subarray(0, 2048).toString('utf8').trimStart().toLowerCase();
  if (/^(<!doctype html|<html|<head|<body|<meta|<title|<article)/.test(head) || declaredType.startsWith('text/html')) return 'html';
  if (!isText(bytes)) throw new DocumentProblem(415, 'Only HTML, PDF, plain text and Markdown can be imported; this file is none of them.');
  return declaredType.startsWith('text/markdown') || /\.(md|markdown)$/i.test(filename) ? 'markdown' : 'text';
}

/** Valid UTF-8 without control characters other than tab and line breaks. */
function isText(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
  } catch {
    return false;
  }
}

/** The text as quotes are checked against it: NFC, \n line breaks, collapsed spaces, at most one blank line between paragraphs. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\t\u00A0 ]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export async function extractDocument(bytes: Buffer, declaredType: string, filename: string): Promise<ExtractedDocument> {
  const kind = documentKind(bytes, declaredType, filename);
  const extracted = kind === 'pdf' ? await fromPdf(bytes) : kind === 'html' ? fromHtml(bytes.toString('utf8')) : fromText(bytes.toString('utf8'), kind);
  const text = normaliseText(extracted.text);
  if (text.length === 0) throw new DocumentProblem(422, 'The document has no text to quote (a scanned PDF needs OCR first).');
  return { ...extracted, kind, mediaType: MEDIA_TYPES[kind], text };
}

const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, figcaption, td, th';
const NEVER_TEXT = 'script, style, noscript, template, iframe, object, svg, nav, header, footer, aside, form, button';

function fromHtml(html: string): Omit<ExtractedDocument, 'kind' | 'mediaType'> {
  const { document } = parseHTML(html);
  const meta = (...names: string[]) =>
    names.map((name) => document.querySelector(`meta[property="${name}"], meta[name="${name}"]`)?.getAttribute('content')?.trim()).find(Boolean) || undefined;
  const proposed = {
    title: meta('og:title', 'twitter:title') ?? (document.querySelector('title')?.textContent?.trim() || undefined),
    author: meta('author', 'article:author', 'byl', 'dc.creator'),
    outlet: meta('og:site_name', 'application-name', 'publisher'),
    publishedOn: dateOf(meta('article:published_time', 'date', 'dc.date', 'pubdate') ?? document.querySelector('time[datetime]')?.getAttribute('datetime') ?? undefined),
    language: languageOf(document.documentElement?.getAttribute('lang') ?? meta('og:locale', 'language')),
  };
  // Readability changes the DOM it reads: give it its own.
  const article = new Readability(parseHTML(html).document as unknown as Document, { charThreshold: 100 }).parse();
  const { document: content } = parseHTML(`<!doctype html><html><body>${article?.content ?? document.body?.innerHTML ?? ''}</body></html>`);
  // When Readability finds no article, the page's own body is read, without what is never the text.
  for (const element of content.querySelectorAll(NEVER_TEXT)) element.remove();
  const blocks = [...content.querySelectorAll(BLOCKS)].filter((block) => !block.querySelector(BLOCKS));
  const text = blocks.length > 0 ? blocks.map((block) => (block.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n\n') : (content.body?.textContent ?? '');
  return {
    ...proposed,
    title: proposed.title ?? (article?.title || undefined),
    author: proposed.author ?? (article?.byline?.replace(/^by\s+/i, '').trim() || undefined),
    outlet: proposed.outlet ?? (article?.siteName || undefined),
    text,
  };
}

/** How far a PDF's compressed streams may expand, together: 100 times the file, at least 50 MB, at most 500 MB. */
export const expansionLimit = (size: number) => Math.min(500e6, Math.max(50e6, 100 * size));

/**
 * Refuses a decompression bomb before PDF.js reads it: each Flate stream is inflated with a
 * budget (zlib's maxOutputLength), and the total may not pass expansionLimit. PDF.js itself
 * inflates without a limit (a 1 MB file of compressed spaces took 20 s and 2.3 GB here).
 */
function assertExpansion(bytes: Buffer): void {
  let budget = expansionLimit(bytes.length);
  const text = bytes.toString('latin1');
  for (const match of text.matchAll(/\/FlateDecode[^]{0,2048}?>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      budget -= inflateSync(bytes.subarray(start, end), { maxOutputLength: Math.max(1, budget), finishFlush: constants.Z_SYNC_FLUSH }).length;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DocumentProblem(422, 'The PDF expands far beyond its size when decompressed (a decompression bomb?): it is not read.');
      // Not Flate data after all, or damaged: PDF.js decides.
    }
    if (budget <= 0) throw new DocumentProblem(422, 'The PDF expands far beyond its size when decompressed (a decompression bomb?): it is not read.');
  }
}

async function fromPdf(bytes: Buffer): Promise<Omit<ExtractedDocument, 'kind' | 'mediaType'>> {
  assertExpansion(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { disableFontFace: true, useSystemFonts: false, stopAtErrors: true, verbosity: 0 });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new DocumentProblem(422, 'The PDF is encrypted: remove the password and upload it again.');
    throw new DocumentProblem(422, `The PDF cannot be read (${(error as Error).message}).`);
  }
  try {
    const [{ text }, { info }] = await Promise.all([extractText(pdf, { mergePages: false }), getMeta(pdf)]);
    const field = (key: string) => (typeof info?.[key] === 'string' && info[key].trim()) || undefined;
    const pages = (text as string[]).join('\n\n');
    return {
      text: pages,
      // Many PDFs carry no title in their information: the first line of text is the likeliest one.
      title: field('Title') ?? firstLine(pages),
      author: field('Author'),
      publishedOn: dateOf(field('CreationDate')),
      language: languageOf(field('Lang')),
    };
  } catch (error) {
    throw new DocumentProblem(422, `The PDF cannot be read (${(error as Error).message}).`);
  } finally {
    await pdf.loadingTask.destroy();
  }
}

function fromText(text: string, kind: 'text' | 'markdown'): Omit<ExtractedDocument, 'kind' | 'mediaType'> {
  const body = text.replace(/^\uFEFF/, '');
  if (kind === 'text') return { text: body, title: firstLine(body) };
  // Markdown: the words as a reader sees them — headings, emphasis and link targets dropped.
  const plain = body
    .replace(/^```.*$/gm, '')
    .replace(/^[ \t]{0,3}#{1,6}\s+/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/^[ \t]{0,3}>\s?/gm, '')
    .replace(/^[ \t]{0,3}[-*+]\s+/gm, '');
  const heading = /^[ \t]{0,3}#\s+(.+)$/m.exec(body)?.[1]?.trim();
  return { text: plain, title: heading ?? firstLine(plain) };
}

const firstLine = (text: string) => text.trim().split('\n', 1)[0]?.trim().slice(0, 300) || undefined;

/** A publication date as YYYY-MM-DD from ISO 8601 or a PDF date (D:YYYYMMDD…); undefined when it is neither. */
export function dateOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?/.exec(value);
  if (pdf) return [pdf[1], pdf[2], pdf[3]].filter(Boolean).join('-');
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value.trim());
  return iso ? [iso[1], iso[2], iso[3]].filter(Boolean).join('-') : undefined;
}

/** A BCP 47 tag from a lang attribute or a locale such as en_GB; undefined when it is not one. */
export function languageOf(value: string | null | undefined): string | undefined {
  const tag = value?.trim().replace(/_/g, '-');
  return tag && /^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag.split('-')[0].toLowerCase() + tag.slice(tag.indexOf('-') >= 0 ? tag.indexOf('-') : tag.length) : undefined;
}
