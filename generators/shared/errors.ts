/** A problem with what the user asked for. The CLI prints its message as one line and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A node:util parseArgs error as one line that names the fix (`help`: the command whose --help to see). */
export function flagError(error: unknown, help: string): UsageError {
  const message = (error as Error).message.split('\n')[0]!.replace(/\.$/, '');
  // A flag at the end, or followed by another flag: "argument missing" / "argument is ambiguous".
  const noValue = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)$/.exec(message);
  if (noValue) return new UsageError(`${noValue[1]} needs a value: pass it right after the flag (see ${help} --help)`);
  return new UsageError(`${message} (see ${help} --help)`);
}
