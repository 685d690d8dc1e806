// What the emitter produces (and the writer writes): a file's path and content.

export interface GeneratedFile {
  /** Path relative to the checkout root, with forward slashes. */
  path: string;
  content: string;
}
