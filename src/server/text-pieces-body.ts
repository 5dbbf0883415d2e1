/**
 * A response body sent as the pieces of text it was written in, each encoded when it is sent, with
 * its exact Content-Length: a large file (the game export, several megabytes) is never one string
 * or one buffer, which here cost more to allocate than to write (src/domain/stats/stats-export.ts).
 */
export function textPiecesBody(pieces: readonly string[]): { body: ReadableStream<Uint8Array>; length: number } {
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(Buffer.from(pieces[next++]!));
      else controller.close();
    },
  });
  return { body, length };
}
