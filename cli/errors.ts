/**
 * A command line or stack setup the command cannot act on: the message says what to change, and
 * the command exits with the error code without touching any stack. Its own module so that the
 * helpers `run` imports can throw it too.
 */
export class UsageError extends Error {}
