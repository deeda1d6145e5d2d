import { FileStore } from '../../src/store/file/file-store';

/**
 * Child process for the file store concurrency test: `node --import tsx file-store-writer.ts DIR ID KEY`.
 * Says "ready", waits for a line on stdin (so that all writers start together), then adds KEY to the document.
 */
const [dir, id, key] = process.argv.slice(2);
if (!dir || !id || !key) throw new Error('usage: file-store-writer DIR ID KEY');

process.stdout.write('ready\n');
process.stdin.once('data', () => {
  process.stdin.pause();
  new FileStore(dir)
    .update(id, (current) => ({ ...current, [key]: process.pid }))
    .then(
      () => process.stdout.write('done\n'),
      (error: Error) => {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      },
    );
});
