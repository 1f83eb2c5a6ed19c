// What the user sees while a project is made: one line per step (writing files, installing, git).
// On a terminal the line has a spinner and a running clock and is rewritten in place; without one
// (CI, pipes) it is written once as "label ... done (1.2 s)", so a log shows every step without
// control characters. The tools' own output never reaches the screen (see post-write.ts).

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 80;

export interface Progress {
  /** Runs `fn` as one step; the line ends with ✔/done or ✖/failed and the elapsed time. */
  step<T>(label: string, fn: () => Promise<T>): Promise<T>;
  /** A step that is already over (e.g. files written by yeoman's commit phase), with its time. */
  done(label: string, ms: number): void;
  /** A plain line (a skipped step, the closing summary). */
  line(text: string): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function createProgress(out: ProgressStream = process.stdout): Progress {
  const tty = out.isTTY === true;
  const finish = (ok: boolean, label: string, ms: number) =>
    tty ? `\r\x1b[2K${ok ? '✔' : '✖'} ${label} (${seconds(ms)})\n` : ` ${ok ? 'done' : 'failed'} (${seconds(ms)})\n`;
  return {
    async step(label, fn) {
      const t0 = performance.now();
      let frame = 0;
      // A line longer than the terminal wraps, and "\r" would then redraw only its last part.
      // (A pseudo-terminal without a window size reports 0 columns.)
      const columns = out.columns || 80;
      const shown = label.length + 12 > columns ? `${label.slice(0, Math.max(10, columns - 13))}…` : label;
      const draw = () => out.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${shown} ${seconds(performance.now() - t0)}`);
      let timer: NodeJS.Timeout | undefined;
      if (tty) {
        draw();
        timer = setInterval(draw, TICK_MS);
      } else out.write(`${label} ...`);
      const end = (ok: boolean) => {
        clearInterval(timer);
        out.write(finish(ok, label, performance.now() - t0));
      };
      try {
        const result = await fn();
        end(true);
        return result;
      } catch (error) {
        end(false);
        throw error;
      }
    },
    done(label, ms) {
      out.write(tty ? `✔ ${label} (${seconds(ms)})\n` : `${label} ... done (${seconds(ms)})\n`);
    },
    line(text) {
      out.write(`${text}\n`);
    },
  };
}
