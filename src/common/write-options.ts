/**
 * Internal options of create methods, not part of any request body: the seed uses
 * `at` to date imported records as of their articles.
 */
export interface WriteOptions {
  at?: Date;
}
