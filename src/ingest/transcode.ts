import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A UTF-8 copy of a Windows-1252 file (old Excel "CSV" saves, many Windows
 * exports): DuckDB's reader knows UTF-8, UTF-16 and Latin-1 only, and
 * Latin-1 has no characters at 0x80-0x9F, where Windows-1252 keeps € ‚ „ …
 * ‘ ’ “ ” • – — ™ and others. Node's TextDecoder (ICU) decodes it; a
 * single-byte encoding can be cut anywhere, so the file is streamed chunk
 * by chunk. Line breaks are the same bytes in both, so line numbers hold.
 */
export async function transcodeToUtf8(from: string, to: string, encoding: 'windows-1252' = 'windows-1252'): Promise<void> {
  const decoder = new TextDecoder(encoding);
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  await pipeline(createReadStream(from), toUtf8, createWriteStream(to, { mode: 0o600 }));
}
