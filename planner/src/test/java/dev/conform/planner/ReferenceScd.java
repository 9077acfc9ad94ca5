package dev.conform.planner;

import dev.conform.dsl.DeleteMode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DESIGN §4 written the obvious way: a sequential fold over each key's events. The oracle the
 * set-based plans are checked against. Events have a BIGINT key, BIGINT sequence, BIGINT
 * tie-breaker, an operation and two text payload columns {@code plan} and {@code city}.
 */
final class ReferenceScd {

  /** One event of the change stream. Payload is null for deletes. */
  record Event(long key, long seq, Long tb, boolean delete, String plan, String city) {
    List<String> asRow() {
      return java.util.Arrays.asList(
          Long.toString(key),
          Long.toString(seq),
          tb == null ? null : Long.toString(tb),
          delete ? "D" : "U",
          plan,
          city);
    }
  }

  private final boolean trackCityToo;
  private final DeleteMode deletes;
  private final Long endOfTime;
  private final boolean tieBreakerColumn;

  /**
   * @param trackCityToo false for {@code track: [plan]}, true when every column is tracked
   * @param tieBreakerColumn whether the tie-breaker is also an output column {@code tb}, before
   *     {@code plan} (tracked too when every column is)
   */
  ReferenceScd(boolean trackCityToo, DeleteMode deletes, Long endOfTime, boolean tieBreakerColumn) {
    this.trackCityToo = trackCityToo;
    this.deletes = deletes;
    this.endOfTime = endOfTime;
    this.tieBreakerColumn = tieBreakerColumn;
  }

  private Comparator<Event> order() {
    Comparator<String> text = Comparator.nullsFirst(Comparator.naturalOrder());
    Comparator<Event> c =
        Comparator.comparingLong(Event::seq)
            .thenComparing(Event::tb, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.delete() ? "D" : "U")
            .thenComparing(Event::plan, text);
    return c.thenComparing(Event::city, text);
  }

  private boolean sameTracked(Event a, Event b) {
    return Objects.equals(a.plan(), b.plan())
        && (!trackCityToo || Objects.equals(a.city(), b.city()))
        && (!trackCityToo || !tieBreakerColumn || Objects.equals(a.tb(), b.tb()));
  }

  private List<Event> eventsOf(List<Event> all, long key) {
    TreeSet<Event> distinct = new TreeSet<>(order());
    for (Event e : all) {
      if (e.key() == key && !(deletes == DeleteMode.IGNORE && e.delete())) {
        distinct.add(e);
      }
    }
    return new ArrayList<>(distinct);
  }

  /** Type 2 rows: sk, key, [tb,] plan, city, valid_from, valid_to, is_current[, is_deleted]. */
  List<List<String>> type2(List<Event> all) {
    List<List<String>> rows = new ArrayList<>();
    for (long key : keys(all)) {
      List<Event> events = eventsOf(all, key);
      List<List<Event>> groups = new ArrayList<>();
      for (Event e : events) {
        List<Event> current = groups.isEmpty() ? null : groups.get(groups.size() - 1);
        Event last = current == null ? null : current.get(current.size() - 1);
        boolean opens =
            last == null || last.delete() != e.delete() || (!e.delete() && !sameTracked(last, e));
        if (opens) {
          groups.add(new ArrayList<>(List.of(e)));
        } else {
          current.add(e);
        }
      }
      for (int i = 0; i < groups.size(); i++) {
        List<Event> group = groups.get(i);
        Event first = group.get(0);
        Event last = group.get(group.size() - 1);
        if (first.delete() && deletes != DeleteMode.TOMBSTONE) {
          continue;
        }
        boolean current = i == groups.size() - 1;
        Long validTo = current ? endOfTime : Long.valueOf(groups.get(i + 1).get(0).seq());
        List<String> row = new ArrayList<>();
        List<String> identity = new ArrayList<>();
        identity.add(Long.toString(key));
        identity.add(Long.toString(first.seq()));
        identity.add(first.tb() == null ? null : Long.toString(first.tb()));
        identity.add(first.delete() ? "D" : "U");
        if (trackCityToo && tieBreakerColumn) {
          identity.add(last.delete() || last.tb() == null ? null : Long.toString(last.tb()));
        }
        identity.add(last.plan());
        if (trackCityToo) {
          identity.add(last.city());
        }
        row.add(Long.toString(hash64(identity)));
        row.add(Long.toString(key));
        if (tieBreakerColumn) {
          row.add(last.delete() || last.tb() == null ? null : Long.toString(last.tb()));
        }
        row.add(last.plan());
        row.add(last.city());
        row.add(Long.toString(first.seq()));
        row.add(validTo == null ? null : Long.toString(validTo));
        row.add(Boolean.toString(current));
        if (deletes == DeleteMode.TOMBSTONE) {
          row.add(Boolean.toString(first.delete()));
        }
        rows.add(row);
      }
    }
    return sorted(rows);
  }

  /** Type 1 rows: sk, key, plan, city[, is_deleted]. */
  List<List<String>> type1(List<Event> all) {
    List<List<String>> rows = new ArrayList<>();
    for (long key : keys(all)) {
      List<Event> events = eventsOf(all, key);
      if (events.isEmpty()) {
        continue;
      }
      Event last = events.get(events.size() - 1);
      if (last.delete() && deletes != DeleteMode.TOMBSTONE) {
        continue;
      }
      List<String> row = new ArrayList<>();
      row.add(Long.toString(hash64(List.of(Long.toString(key)))));
      row.add(Long.toString(key));
      row.add(last.plan());
      row.add(last.city());
      if (deletes == DeleteMode.TOMBSTONE) {
        row.add(Boolean.toString(last.delete()));
      }
      rows.add(row);
    }
    return sorted(rows);
  }

  private static TreeSet<Long> keys(List<Event> all) {
    TreeSet<Long> keys = new TreeSet<>();
    all.forEach(e -> keys.add(e.key()));
    return keys;
  }

  /** The surrogate-key hash as the planner renders it: 15 hex digits of MD5. */
  static long hash64(List<String> values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        text.append('|');
      }
      text.append(values.get(i) == null ? "\\N" : values.get(i));
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      String hex = String.format("%032x", new BigInteger(1, digest));
      return Long.parseLong(hex.substring(0, 15), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<List<String>> sorted(List<List<String>> rows) {
    Map<String, List<String>> byText = new TreeMap<>();
    int i = 0;
    for (List<String> row : rows) {
      byText.put(
          String.join("\u0001", row.stream().map(String::valueOf).toList()) + "\u0002" + i++, row);
    }
    return new ArrayList<>(byText.values());
  }
}
