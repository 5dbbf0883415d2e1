/**
 * A response body sent as the pieces of bytes it was written in, with its exact Content-Length: a
 * large file (the game export, several megabytes) is never one string or one buffer, which here
 * cost more to allocate than to write (src/domain/stats/stats-export.ts).
 */
export function piecesBody(pieces: readonly Uint8Array[]): { body: ReadableStream<Uint8Array>; length: number } {
  let length = 0;
  for (const piece of pieces) length += piece.byteLength;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(pieces[next++]!);
      else controller.close();
    },
  });
  return { body, length };
}
