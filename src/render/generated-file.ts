/** A file render produces: its path, content and how write treats it. */
export interface GeneratedFile {
  /** Relative to the project root, with forward slashes. */
  path: string;
  content: string;
  executable?: boolean;
  /** The user owns the file; the generator owns only its managed block (.env.example). */
  sharedWithUser?: boolean;
}
