import { createServer, type Server, type Socket } from 'node:net';
import mongoose from 'mongoose';

const { BSON } = mongoose.mongo;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export type Command = Record<string, unknown> & { $db?: string };

/** What the peer does with one command: answer this document, never answer, or drop the connection. */
export type Reaction = Record<string, unknown> | 'silent' | 'close';

/** When one command reached the peer and when its answer left (`performance.now()` ms; null: never answered). */
export interface CommandTiming {
  name: string;
  /** The collection it names (`find: 'pages'`), or the command's value for others. */
  target: unknown;
  arrivedAt: number;
  repliedAt: number | null;
}

/**
 * How many round trips a client made one after another in `timings`: the longest chain of commands
 * each sent only after an answer to the one before it had left. Commands in flight together count
 * once. Only meaningful with answers held (`delayMs`) long enough that commands a client sends
 * together all arrive before any of them is answered.
 */
export function sequentialRoundTrips(timings: readonly CommandTiming[]): number {
  const depths: number[] = [];
  const ordered = [...timings].sort((a, b) => a.arrivedAt - b.arrivedAt);
  ordered.forEach((command, index) => {
    let before = 0;
    for (let earlier = 0; earlier < index; earlier += 1) {
      const answered = ordered[earlier]!.repliedAt;
      if (answered !== null && answered <= command.arrivedAt) before = Math.max(before, depths[earlier]!);
    }
    depths.push(before + 1);
  });
  return Math.max(0, ...depths);
}

/**
 * A MongoDB wire-protocol peer that answers like an empty standalone server (hello, ping,
 * find, insert, aggregate, listIndexes, createIndexes, …) and lets a test replace the answer
 * to any command: an error document, silence, or a dropped socket. It lets the real driver,
 * and so the mongo adapter, meet the faults a real deployment has, without a mongod.
 * Handshakes (`hello`, `isMaster`) are always answered, so the server stays selectable.
 */
export class MongoWirePeer {
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #nextId = 1;
  port = 0;
  /** Every non-handshake command received, in order. */
  readonly commands: Command[] = [];
  /** When each of `commands` arrived and was answered, in the same order. */
  readonly timeline: CommandTiming[] = [];
  /**
   * Holds every answer but a handshake this long, as a database in another zone does (the time a
   * command spends on the network and in the server). 0: answered at once.
   */
  delayMs = 0;
  /** Decides the answer to a command; `undefined` means the default (empty-server) answer. */
  react: (name: string, command: Command) => Reaction | undefined = () => undefined;

  /** Listens on `port` (by default a free one). */
  async open(port = 0): Promise<void> {
    const server = createServer((socket) => this.#serve(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Open connections from drivers right now. */
  get connections(): number {
    return this.#sockets.size;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/?directConnection=true`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0);
        this.#handle(socket, buffered.subarray(0, length));
        buffered = buffered.subarray(length);
      }
    });
  }

  #handle(socket: Socket, message: Buffer): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      // The first hello on each connection, before the driver knows the server speaks OP_MSG.
      let offset = 20;
      while (message[offset] !== 0) offset += 1;
      offset += 1 + 8;
      const query = BSON.deserialize(message.subarray(offset, offset + message.readInt32LE(offset))) as Command;
      const body = Buffer.from(BSON.serialize(this.#hello(query)));
      const reply = Buffer.alloc(16 + 20);
      reply.writeInt32LE(36 + body.length, 0);
      reply.writeInt32LE(this.#nextId++, 4);
      reply.writeInt32LE(requestId, 8);
      reply.writeInt32LE(OP_REPLY, 12);
      reply.writeInt32LE(1, 32); // numberReturned; flags, cursor id and startingFrom stay 0
      socket.write(Buffer.concat([reply, body]));
      return;
    }
    if (opCode !== OP_MSG) return void socket.destroy();
    const command = this.#parseMessage(message);
    const name = Object.keys(command)[0]!;
    const handshake = ['hello', 'ismaster', 'isMaster'].includes(name);
    const timing: CommandTiming = { name, target: command[name], arrivedAt: performance.now(), repliedAt: null };
    if (!handshake) {
      this.commands.push(command);
      this.timeline.push(timing);
    }
    const reaction = handshake ? this.#hello(command) : (this.react(name, command) ?? this.#answer(name, command));
    if (reaction === 'silent') return;
    const reply = () => {
      if (reaction === 'close') return void socket.destroy();
      const body = Buffer.from(BSON.serialize(reaction));
      const header = Buffer.alloc(21);
      header.writeInt32LE(21 + body.length, 0);
      header.writeInt32LE(this.#nextId++, 4);
      header.writeInt32LE(requestId, 8);
      header.writeInt32LE(OP_MSG, 12);
      timing.repliedAt = performance.now();
      // flagBits 0, then a kind-0 section holding the body.
      socket.write(Buffer.concat([header, body]));
    };
    if (handshake || this.delayMs <= 0) reply();
    else setTimeout(reply, this.delayMs);
  }

  /** OP_MSG: flag bits, then a kind-0 body and any kind-1 document sequences (an insert's `documents`). */
  #parseMessage(message: Buffer): Command {
    let offset = 20;
    let command: Command = {};
    const sequences: Record<string, unknown[]> = {};
    while (offset < message.length) {
      const kind = message[offset]!;
      offset += 1;
      if (kind === 0) {
        const size = message.readInt32LE(offset);
        command = BSON.deserialize(message.subarray(offset, offset + size)) as Command;
        offset += size;
      } else {
        const size = message.readInt32LE(offset);
        const end = offset + size;
        let cursor = offset + 4;
        const nameEnd = message.indexOf(0, cursor);
        const identifier = message.subarray(cursor, nameEnd).toString('utf8');
        cursor = nameEnd + 1;
        const documents: unknown[] = [];
        while (cursor < end) {
          const docSize = message.readInt32LE(cursor);
          documents.push(BSON.deserialize(message.subarray(cursor, cursor + docSize)));
          cursor += docSize;
        }
        sequences[identifier] = documents;
        offset = end;
      }
    }
    return { ...command, ...sequences };
  }

  #hello(command: Command): Record<string, unknown> {
    return {
      ...(command['helloOk'] ? { helloOk: true } : {}),
      isWritablePrimary: true,
      ismaster: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: this.#nextId,
      minWireVersion: 0,
      maxWireVersion: 25,
      readOnly: false,
      ok: 1,
    };
  }

  #answer(name: string, command: Command): Record<string, unknown> {
    const ns = `${command.$db}.${String(command[name])}`;
    switch (name) {
      case 'find':
      case 'aggregate':
        return { cursor: { id: BSON.Long.fromNumber(0), ns, firstBatch: [] }, ok: 1 };
      case 'listIndexes':
        return { cursor: { id: BSON.Long.fromNumber(0), ns, firstBatch: [{ v: 2, key: { _id: 1 }, name: '_id_' }] }, ok: 1 };
      case 'insert':
        return { n: (command['documents'] as unknown[] | undefined)?.length ?? 0, ok: 1 };
      case 'delete':
        return { n: 0, ok: 1 };
      case 'findAndModify':
        return { value: null, ok: 1 };
      case 'createIndexes':
        return { numIndexesBefore: 1, numIndexesAfter: 2, ok: 1 };
      default:
        return { ok: 1 };
    }
  }
}
