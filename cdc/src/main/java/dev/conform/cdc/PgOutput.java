package dev.conform.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The messages of PostgreSQL's built-in {@code pgoutput} plugin, protocol version 1, decoded from
 * the bytes of one replication message. Only what a change capture needs is kept; messages it has
 * no use for (origin, type, logical message) decode as {@link Skipped}.
 */
final class PgOutput {
  private PgOutput() {}

  /** One decoded message. */
  sealed interface Message
      permits Begin, Commit, Relation, Insert, Update, Delete, Truncate, Skipped {}

  /** A transaction starts: the LSN of its commit record, and its commit time (see {@link #at}). */
  record Begin(long finalLsn, long commitTime) implements Message {}

  /** A transaction ends: its commit record's LSN and the LSN just past it. */
  record Commit(long commitLsn, long endLsn, long commitTime) implements Message {}

  /**
   * A table's shape, sent before its first change in a session and after it changes: its id (the
   * table's oid), name, replica identity ({@code d}efault, {@code n}othing, {@code f}ull, {@code
   * i}ndex) and columns.
   */
  record Relation(int id, String schema, String name, char identity, List<RelationColumn> columns)
      implements Message {}

  /** A column of a {@link Relation}; {@code key} when it is part of the replica identity. */
  record RelationColumn(String name, int typeOid, boolean key) {}

  record Insert(int relation, Tuple row) implements Message {}

  /**
   * An update; {@code old} is the old key ({@code K}: other columns null) when the identity changed
   * and the table's identity is a key, or the whole old row ({@code O}) with REPLICA IDENTITY FULL.
   */
  record Update(int relation, Optional<Tuple> old, char oldKind, Tuple row) implements Message {}

  /** A delete with the old key ({@code K}) or the whole old row ({@code O}). */
  record Delete(int relation, Tuple old, char oldKind) implements Message {}

  record Truncate(List<Integer> relations) implements Message {}

  /** A message a capture does not use: origin, type, logical decoding message. */
  record Skipped(char kind) implements Message {}

  /**
   * A row's values in column order: text, or null for SQL NULL; {@code unchanged} holds the indexes
   * of unchanged TOASTed values, which pgoutput does not send again (their value is null here).
   */
  record Tuple(List<String> values, Set<Integer> unchanged) {
    Tuple {
      // Not List.copyOf: it refuses the nulls that stand for SQL NULL.
      values = Collections.unmodifiableList(new ArrayList<>(values));
      unchanged = Set.copyOf(unchanged);
    }

    boolean unchanged(int index) {
      return unchanged.contains(index);
    }
  }

  /** Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  /** A pgoutput time (microseconds since 2000-01-01 UTC) as microseconds since 1970-01-01 UTC. */
  static long at(long postgresMicros) {
    return postgresMicros + POSTGRES_EPOCH_MICROS;
  }

  /** Decodes one message; fails on a kind protocol version 1 does not have. */
  static Message parse(ByteBuffer buffer) {
    char kind = (char) buffer.get();
    switch (kind) {
      case 'B':
        {
          long finalLsn = buffer.getLong();
          long time = buffer.getLong();
          buffer.getInt(); // xid
          return new Begin(finalLsn, time);
        }
      case 'C':
        {
          buffer.get(); // flags
          long commitLsn = buffer.getLong();
          long endLsn = buffer.getLong();
          return new Commit(commitLsn, endLsn, buffer.getLong());
        }
      case 'R':
        {
          int id = buffer.getInt();
          String schema = string(buffer);
          String name = string(buffer);
          char identity = (char) buffer.get();
          int count = buffer.getShort();
          List<RelationColumn> columns = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            boolean key = (buffer.get() & 1) != 0;
            String column = string(buffer);
            int type = buffer.getInt();
            buffer.getInt(); // type modifier
            columns.add(new RelationColumn(column, type, key));
          }
          return new Relation(id, schema, name, identity, List.copyOf(columns));
        }
      case 'I':
        {
          int relation = buffer.getInt();
          expect(buffer, 'N');
          return new Insert(relation, tuple(buffer));
        }
      case 'U':
        {
          int relation = buffer.getInt();
          char next = (char) buffer.get();
          Optional<Tuple> old = Optional.empty();
          char oldKind = ' ';
          if (next == 'K' || next == 'O') {
            oldKind = next;
            old = Optional.of(tuple(buffer));
            next = (char) buffer.get();
          }
          if (next != 'N') {
            throw new IllegalStateException("Unexpected pgoutput update part '" + next + "'");
          }
          return new Update(relation, old, oldKind, tuple(buffer));
        }
      case 'D':
        {
          int relation = buffer.getInt();
          char oldKind = (char) buffer.get();
          return new Delete(relation, tuple(buffer), oldKind);
        }
      case 'T':
        {
          int count = buffer.getInt();
          buffer.get(); // options: cascade, restart identity
          List<Integer> relations = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            relations.add(buffer.getInt());
          }
          return new Truncate(List.copyOf(relations));
        }
      case 'O':
      case 'Y':
      case 'M':
        return new Skipped(kind);
      default:
        throw new IllegalStateException("Unknown pgoutput message '" + kind + "'");
    }
  }

  private static Tuple tuple(ByteBuffer buffer) {
    int count = buffer.getShort();
    List<String> values = new ArrayList<>(count);
    Set<Integer> unchanged = new HashSet<>();
    for (int i = 0; i < count; i++) {
      char kind = (char) buffer.get();
      switch (kind) {
        case 'n':
          values.add(null);
          break;
        case 'u':
          values.add(null);
          unchanged.add(i);
          break;
        case 't':
          {
            byte[] bytes = new byte[buffer.getInt()];
            buffer.get(bytes);
            values.add(new String(bytes, StandardCharsets.UTF_8));
            break;
          }
        default:
          throw new IllegalStateException("Unexpected pgoutput value kind '" + kind + "'");
      }
    }
    return new Tuple(values, unchanged);
  }

  private static void expect(ByteBuffer buffer, char wanted) {
    char kind = (char) buffer.get();
    if (kind != wanted) {
      throw new IllegalStateException(
          "Unexpected pgoutput tuple marker '" + kind + "', expected '" + wanted + "'");
    }
  }

  /** A null-terminated UTF-8 string. */
  private static String string(ByteBuffer buffer) {
    int start = buffer.position();
    int end = start;
    while (buffer.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    buffer.get(bytes);
    buffer.get(); // the terminator
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
