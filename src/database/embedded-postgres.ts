import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) on a data folder and serves it over the
 * Postgres wire protocol on 127.0.0.1, so that the application connects to it with `pg` exactly
 * as it does to a real server. One transaction runs at a time: nothing may wait, inside a
 * transaction, for another connection.
 */
export async function startEmbeddedPostgres(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: dir, extensions: { btree_gist } });
  keepExtendedQueriesWhole(db);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 100 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  return {
    url: `postgres://postgres@${conn}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Message types that end a client's request: Sync (extended protocol), Query (simple), Terminate. */
const REQUEST_ENDS = new Set(['S', 'Q', 'X'].map((c) => c.charCodeAt(0)));

/**
 * PGlite is one backend session. pglite-socket queues the messages of its connections one by one and
 * keeps to one connection only while a transaction is open (`isInTransaction()`): outside one, the
 * Parse / Bind / Execute of two connections' queries could interleave and clobber the session's one
 * unnamed statement (« bind message supplies 1 parameters, but prepared statement "" requires 3 »,
 * « portal "" does not exist »: random 500s under concurrent requests). So a connection whose last
 * message did not end its request (Sync, Query, Terminate) is, for the queue, still "in a
 * transaction": the queue waits for that connection's next message before serving another. The
 * start-up packet (no type byte: its first byte is a length's high byte, 0) ends nothing either way.
 */
export function keepExtendedQueriesWhole(db: PGlite): void {
  let requestOpen = false;
  const exec = db.execProtocolRawStream.bind(db);
  const inTransaction = db.isInTransaction.bind(db);
  db.execProtocolRawStream = async (message, options) => {
    const type = message[0];
    try {
      return await exec(message, options);
    } finally {
      requestOpen = type !== 0 && !REQUEST_ENDS.has(type);
    }
  };
  db.isInTransaction = () => requestOpen || inTransaction();
}
