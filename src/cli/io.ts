/** Where a command-line command writes; tests pass buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * stdout and stderr of the process. A reader that goes away (`| head -1`) closes the pipe: what
 * is left to write is dropped and the command ends as it would have, with no EPIPE stack trace.
 */
export function createProcessIo(): CliIo {
  return { out: writerTo(process.stdout), err: writerTo(process.stderr) };
}

function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return (text) => {
    if (closed || stream.destroyed) return;
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  };
}
