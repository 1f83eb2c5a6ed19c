// --help text, generated from the option declarations so it can never drift from the flags.
import { ANSWERS, RUN_OPTIONS } from './shared/options.js';

const FLAG_WIDTH = 30;
const WIDTH = 100;

/** One option row of a help text: flags in a column, the text wrapped to the terminal width. */
export function row(flags: string, text: string): string {
  const indent = ' '.repeat(FLAG_WIDTH + 2);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  const first = flags.length < FLAG_WIDTH ? `  ${flags.padEnd(FLAG_WIDTH)}${lines.shift()}` : `  ${flags}`;
  return [first, ...lines.map((l) => indent + l)].join('\n');
}

export function helpText(): string {
  const lines = [
    'Usage: create-instrumented-api [name|path] [options]',
    '       create-instrumented-api refresh [options]   (inside a generated project; see refresh --help)',
    '',
    'Creates an API service whose OpenTelemetry tracing works in every environment: Jaeger locally',
    '(compose), the Datadog Agent in Kubernetes (staging, production), any OTLP collector, console',
    'or none.',
    '',
    'Answers (asked when missing in a terminal; saved in .yo-rc.json):',
  ];
  for (const decl of Object.values(ANSWERS)) {
    const flag = `--${decl.flag} ${decl.arg}`;
    const choices = 'choices' in decl && decl.choices ? ` (choices: ${decl.choices.join(', ')})` : '';
    lines.push(row(flag, `${decl.description}${choices}; default: ${decl.defaultText}`));
  }
  lines.push('', 'Options:');
  for (const decl of Object.values(RUN_OPTIONS)) {
    const short = 'short' in decl && decl.short ? `-${decl.short}, ` : '';
    const flag = `${short}--${decl.flag}${'arg' in decl && decl.arg ? ` ${decl.arg}` : ''}`;
    lines.push(row(flag, `${decl.description}; default: ${decl.defaultText}`));
  }
  lines.push(row('-h, --help', 'show this help'), row('-v, --version', 'print the version'));
  lines.push(
    '',
    'Examples:',
    '  npm create instrumented-api@latest my-api',
    '  npm create instrumented-api@latest my-api -- --framework fastapi --yes',
    '  create-instrumented-api ../services/orders --yes   (the project "orders" in ../services/)',
    '  create-instrumented-api my-api --environments development,production \\',
    '      --backend development=jaeger --backend production=datadog --yes',
    '',
    'Without a terminal, every answer must come from a flag, --answers or --yes.',
  );
  return `${lines.join('\n')}\n`;
}
