import type { DatabaseId, PackageManagerId } from '../adapters/types.js';

/** The committed file that holds the answers (name and schema documented in the README). */
export const ANSWERS_FILE = 'migrating-stack.json';

/**
 * Every decision the generator makes that a user may want to change. Saved in full in
 * migrating-stack.json so that any machine regenerates byte-identical files from them.
 */
export interface Answers {
  /**
   * The app of a workspace (monorepo) the stack is for: its folder relative to the workspace root
   * (apps/api); null for a project that is no workspace (then it isn't saved).
   */
  app: string | null;
  packageManager: PackageManagerId;
  /** Node major of the base image. */
  node: number;
  /** The base image, when not the default node:<major>-bookworm-slim. */
  nodeImage: string | null;
  /**
   * The generated Dockerfile: `Dockerfile`, or `Dockerfile.migrating-stack` beside a project's own
   * (compose.yaml builds from it).
   */
  dockerfile: string;
  /** Web framework: decides the build output, what the runtime copies and the start command. */
  framework: string;
  /** The command the app container runs (node directly, never npm). */
  start: string;
  /** The port the app listens on inside the container. */
  port: number;
  /**
   * HTTP path that answers 200 when the app (and its database) are healthy; null when the app has
   * none (the healthcheck then accepts any HTTP answer below 500 on /).
   */
  healthPath: string | null;
  /** The migration tool. */
  orm: string;
  /** The migration tool's configuration file when named by --orm-config (relative to the project); null: the one detection finds. */
  ormConfig: string | null;
  database: DatabaseId;
  /** Image of the database service; null for SQLite (no service). */
  databaseImage: string | null;
  /** The environment variable the app and the migration tool read the connection URL from. */
  databaseUrlVariable: string;
  /** Where migrations run: a compose one-shot, the app's entrypoint, or the CI pipeline. */
  strategy: Strategy;
  /** Back up the database (a compose one-shot) before migrations run. */
  backup: boolean;
  /** Also generate a Docker Swarm stack (stack.yaml) and its deploy script. */
  swarm: boolean;
  /** The CI pipeline generated: GitHub Actions, GitLab CI, or none. */
  ci: CiPlatform;
}

export type AnswerKey = keyof Answers;

export const STRATEGIES = ['compose', 'entrypoint', 'ci'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const CI_PLATFORMS = ['github', 'gitlab', 'none'] as const;
export type CiPlatform = (typeof CI_PLATFORMS)[number];
