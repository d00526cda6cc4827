#!/usr/bin/env node
import { main } from '../build/src/cli.js';

// A reader that stops early (`parevm run | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
