#!/usr/bin/env node
import type { Command } from './command.js';
import { UsageError } from './command.js';

/** Sub-commands, loaded lazily so `profile` never pays for the GraphQL or database stack. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).startCommand,
  api: async () => (await import('./commands/api.js')).apiCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  profile: async () => (await import('./commands/profile.js')).profileCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

async function usage(): Promise<string> {
  const lines = ['Usage: realitycheck <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    let summary = '';
    try {
      summary = (await load()).summary;
    } catch {
      summary = '(unavailable in this build)';
    }
    lines.push(`  ${name.padEnd(10)}${summary}`);
  }
  lines.push('', 'Run `realitycheck <command> --help` for the options of a command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(pkg.version + '\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`realitycheck: unknown command '${name}'\n\n${await usage()}\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`realitycheck ${name}: ${error.message}\n\n${command.help}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`realitycheck: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
