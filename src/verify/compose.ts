import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the command, in milliseconds. */
  durationMs: number;
}

export interface RunOptions {
  /** Kill the command after this long (it then reports code 124, like timeout(1)). */
  timeoutMs?: number;
  /** Extra environment variables (interpolated into the compose file). */
  env?: Record<string, string>;
}

/** Runs a program without a shell; never rejects: the caller decides what a failure means. */
export function runCommand(program: string, args: readonly string[], options: RunOptions & { cwd?: string } = {}): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      program,
      [...args],
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 10 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        let code = 0;
        if (failure) code = failure.killed ? 124 : typeof failure.code === 'number' ? failure.code : 127;
        resolve({ code, stdout, stderr, durationMs: performance.now() - started });
      },
    );
  });
}

export interface ComposeProjectOptions {
  /** The directory holding compose.yaml (the project directory). */
  dir: string;
  /** Compose project name: containers, networks and volumes are prefixed with it. */
  name: string;
  /** Compose files, relative to dir; the first is the project's own. */
  files?: string[];
  /** Environment for interpolation (APP_PORT, credentials…) besides .env. */
  env?: Record<string, string>;
  /** An env file to use instead of dir/.env. */
  envFile?: string;
}

/** The `docker compose` CLI for one project: compose itself is driven by its own CLI. */
export class ComposeProject {
  readonly dir: string;
  readonly name: string;
  private readonly files: string[];
  private readonly env: Record<string, string>;
  private readonly envFile: string | undefined;

  constructor(options: ComposeProjectOptions) {
    this.dir = options.dir;
    this.name = options.name;
    this.files = options.files ?? ['compose.yaml'];
    this.env = options.env ?? {};
    this.envFile = options.envFile;
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const base = ['compose', '--project-name', this.name, '--project-directory', this.dir];
    for (const file of this.files) base.push('--file', file);
    if (this.envFile) base.push('--env-file', this.envFile);
    return runCommand('docker', [...base, ...args], { ...options, cwd: this.dir, env: { ...this.env, ...options.env } });
  }

  /** `up -d --wait`: builds, starts, and waits for healthchecks and gated one-shots. */
  up(services: readonly string[] = [], options: RunOptions = {}): Promise<CommandResult> {
    return this.run(['up', '--detach', '--wait', ...services], options);
  }

  /**
   * Removes containers, networks, volumes and the images this project built, those of services
   * that only run on demand (profiles) included.
   */
  async down(): Promise<CommandResult> {
    const result = await this.run(['--profile', '*', 'down', '--volumes', '--remove-orphans', '--rmi', 'local', '--timeout', '2']);
    const images = await runCommand('docker', ['image', 'ls', '--quiet', '--filter', `label=com.docker.compose.project=${this.name}`]);
    const leftover = [...new Set(images.stdout.split('\n').filter(Boolean))];
    if (leftover.length > 0) await runCommand('docker', ['image', 'rm', '--force', ...leftover]);
    return result;
  }

  stop(service: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.run(['stop', service], options);
  }

  exec(service: string, argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.run(['exec', '-T', service, ...argv], options);
  }

  /** A service's output, without the terminal control sequences compose adds. */
  async logs(service: string): Promise<CommandResult> {
    const result = await this.run(['logs', '--no-color', '--no-log-prefix', service]);
    return { ...result, stdout: result.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') };
  }

  /** `config --quiet`: compose's own validation of the files. */
  validate(): Promise<CommandResult> {
    return this.run(['config', '--quiet']);
  }
}
