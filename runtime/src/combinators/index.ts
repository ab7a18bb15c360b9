// The combinators: gather, wait, waitFor, timeout, shield, asCompleted, taskGroup.
export {};
