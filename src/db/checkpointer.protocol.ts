/** The checkpointer's first message: the database file and how often to checkpoint. Any later message stops it. */
export interface CheckpointerRequest {
  file: string;
  everyMs: number;
}
