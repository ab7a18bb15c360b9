// `npm run bench [-- NAME ...]`: Loopscope's benchmarks (see bench/main.mjs and docs/performance.md).
import { main } from '../bench/main.mjs';

main(process.argv.slice(2)).catch((err) => {
  console.error(`bench: ${err?.stack ?? err}`);
  process.exit(1);
});
