// A program that never loads the Loopscope runtime: the adapter says so and keeps it running.
console.log('no-runtime: started');
setTimeout(() => {
  console.log('no-runtime: done');
}, Number(process.env.NO_RUNTIME_MS ?? 2500));
