import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy, { type Busboy } from 'busboy';
import { ApiError, invalid } from '../../http/api-error.ts';

const notMultipart = () => new ApiError('unsupported_media_type', 'Send the file as multipart/form-data.');
const oneFilePart = () =>
  invalid('Send exactly one part, a file named "file".', [{ path: 'file', message: 'exactly one file part' }]);

/** Browsers write `"`, CR and LF in a file name as %22, %0D and %0A (HTML's multipart/form-data encoding). */
const unescapeFormName = (name: string) => name.replace(/%22/g, '"').replace(/%0[ad]/gi, '');

/**
 * Streams the single `file` part of a multipart request into `onFile`, whose promise decides the outcome. Any other
 * part (a field, a second file, a file under another name), a missing file or a malformed body is 400; then the
 * part being stored is stopped (its stream errors) and anything `onFile` stored is handed to `discard`, before the
 * promise rejects. `maxFileBytes` only stops busboy from buffering past what `onFile` will refuse anyway.
 */
export function readSingleFile<T>(
  req: IncomingMessage,
  maxFileBytes: number,
  onFile: (file: Readable, filename: string | undefined) => Promise<T>,
  discard: (stored: T) => Promise<void>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send names as raw UTF-8 (busboy's default reading is Latin-1).
        defParamCharset: 'utf8',
        // A second file or any field is reported (filesLimit, fieldsLimit) rather than silently skipped.
        limits: { files: 1, fields: 0, fileSize: maxFileBytes, headerPairs: 20, fieldNameSize: 100 },
      });
    } catch {
      // Not multipart/form-data, or no boundary.
      return reject(notMultipart());
    }
    let job: Promise<T> | undefined;
    let file: Readable | undefined;
    let settled = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume(); // the rest of the body is read and dropped; the route closes the connection
      file?.destroy(err instanceof Error ? err : new Error(String(err)));
      // Whatever the part's handler stored before it was stopped is not kept.
      void Promise.resolve(job?.then(discard, () => {})).finally(() => reject(err));
    };

    parser.on('file', (name, stream, info) => {
      // After a failure the parser may still be working through data it already had: ignore the rest.
      if (settled) return void stream.resume();
      if (name !== 'file' || job) {
        stream.resume();
        return fail(oneFilePart());
      }
      file = stream;
      // fail() may destroy it before `onFile` reads it; the error then reaches `onFile` when it starts reading.
      stream.on('error', () => {});
      job = onFile(stream, info.filename === undefined ? undefined : unescapeFormName(info.filename));
      job.catch(fail);
    });
    parser.on('field', () => fail(oneFilePart()));
    parser.on('filesLimit', () => fail(oneFilePart()));
    parser.on('fieldsLimit', () => fail(oneFilePart()));
    parser.on('error', () =>
      fail(invalid('The multipart body is malformed.', [{ path: 'file', message: 'malformed' }])),
    );
    // A client that goes away mid-upload never ends the body: stop the part (onFile cleans up) rather than wait.
    req.on('error', () => {});
    req.on('close', () => {
      if (!req.complete) fail(invalid('The upload was interrupted.', [{ path: 'file', message: 'incomplete' }]));
    });
    parser.on('close', () => {
      if (!job) return fail(oneFilePart());
      job.then((stored) => {
        if (settled) return; // fail() already hands it to discard
        settled = true;
        resolve(stored);
      }, fail);
    });
    req.pipe(parser);
  });
}
