// A local S3-compatible server for the tests: node --openssl-legacy-provider server.mjs PORT DIRECTORY [BUCKET...]
// (s3rver makes its continuation tokens with DES, which OpenSSL 3 offers only through its legacy provider).
// S3RVER_VERBOSE=1 logs every request.
// Listens on 127.0.0.1, creates the buckets, prints "listening PORT" once ready, and runs until killed.
import S3rver from 's3rver';

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: process.env.S3RVER_VERBOSE !== "1",
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port: bound } = await server.run();
console.log(`listening ${bound}`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close().finally(() => process.exit(0)));
}
