// The `meshlens` command: dispatches to one module per subcommand, loaded lazily so that
// `meshlens decode` does not pay for the server's imports.
import type { Command } from './command.js';

const commands: Record<string, () => Promise<Command>> = {
  decode: async () => (await import('./decode.js')).decodeCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  simulate: async () => (await import('./simulate.js')).simulateCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = ['usage: meshlens <command> [options]', '', 'commands:'];
    for (const [n, load] of Object.entries(commands))
      lines.push(`  ${n.padEnd(10)} ${(await load()).summary}`);
    process.stdout.write(lines.join('\n') + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`meshlens: unknown command '${name}' (try meshlens --help)\n`);
    return 2;
  }
  return (await load()).run(rest);
}
