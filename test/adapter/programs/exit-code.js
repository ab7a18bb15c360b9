// A program that crashes before loading the runtime: the exit code reaches the Debug Console.
console.error('exit-code: about to fail');
process.exit(Number(process.env.EXIT_CODE ?? 3));
