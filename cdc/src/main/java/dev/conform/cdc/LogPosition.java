package dev.conform.cdc;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Debezium event stands in its source's commit order, as one whole number of at most 38
 * digits ({@code _cdc_position}), read from the event's {@code source} block:
 *
 * <ul>
 *   <li>PostgreSQL: {@code source.sequence} is {@code ["<last commit lsn>", "<lsn>"]}. Logical
 *       decoding sends transactions in commit order, and while it sends one the last commit LSN is
 *       the previous transaction's commit, the same for all its changes and higher for every later
 *       transaction; the change's own LSN orders changes within it, but not across transactions
 *       that ran at the same time (a transaction that began earlier may commit later). So the
 *       position is {@code last commit lsn × 10^20 + lsn}; without a sequence (older Debezium), or
 *       before any commit was seen, the last commit counts as 0.
 *   <li>MySQL and MariaDB: the binlog is written in commit order: {@code index of source.file ×
 *       10^20 + source.pos × 10^6 + source.row}.
 * </ul>
 */
final class LogPosition {
  static final List<String> CONNECTORS = List.of("postgresql", "mysql", "mariadb");

  private static final BigInteger SHIFT = BigInteger.TEN.pow(20);
  private static final BigInteger ROWS = BigInteger.TEN.pow(6);
  private static final BigInteger LIMIT = BigInteger.TEN.pow(38);
  private static final BigInteger MAX_POS = BigInteger.TEN.pow(14);

  private LogPosition() {}

  /**
   * The position of an event whose {@code source} block this is.
   *
   * @throws MalformedEvent for an unknown connector or a block without its log position
   */
  static BigInteger of(Map<String, Object> source) {
    Object connector = source.get("connector");
    if (!(connector instanceof String name)) {
      throw new MalformedEvent(
          "its source block names no connector; Conform reads the events of Debezium's "
              + String.join(", ", CONNECTORS)
              + " connectors");
    }
    BigInteger position =
        switch (name) {
          case "postgresql" -> postgresql(source);
          case "mysql", "mariadb" -> mysql(source);
          default ->
              throw new MalformedEvent(
                  "it comes from Debezium's '"
                      + name
                      + "' connector, whose log positions Conform cannot order; it reads the events of"
                      + " the "
                      + String.join(", ", CONNECTORS)
                      + " connectors");
        };
    if (position.compareTo(LIMIT) >= 0) {
      throw new MalformedEvent(
          "its log position " + position + " has more than the 38 digits _cdc_position holds");
    }
    return position;
  }

  private static BigInteger postgresql(Map<String, Object> source) {
    BigInteger lastCommit = BigInteger.ZERO;
    BigInteger lsn = null;
    Object sequence = source.get("sequence");
    if (sequence instanceof String text) {
      List<?> parts = sequence(text);
      lastCommit = parts.get(0) == null ? BigInteger.ZERO : whole(parts.get(0), "source.sequence");
      lsn = parts.get(1) == null ? null : whole(parts.get(1), "source.sequence");
    }
    if (lsn == null) {
      lsn =
          Optional.ofNullable(source.get("lsn"))
              .map(l -> whole(l, "source.lsn"))
              .orElseThrow(() -> new MalformedEvent("its source block has no lsn"));
    }
    if (lsn.compareTo(SHIFT) >= 0) {
      throw new MalformedEvent("its lsn " + lsn + " is out of range");
    }
    return lastCommit.multiply(SHIFT).add(lsn);
  }

  private static List<?> sequence(String text) {
    try {
      if (JsonTree.parse(text) instanceof List<?> parts && parts.size() == 2) {
        return parts;
      }
    } catch (IOException e) {
      // Reported below.
    }
    throw new MalformedEvent(
        "its source.sequence "
            + JsonTree.write(text)
            + " is not [\"<last commit lsn>\", \"<lsn>\"]");
  }

  private static BigInteger mysql(Map<String, Object> source) {
    if (!(source.get("file") instanceof String file)) {
      throw new MalformedEvent("its source block has no binlog file");
    }
    int digits = file.length();
    while (digits > 0 && Character.isDigit(file.charAt(digits - 1))) {
      digits--;
    }
    if (digits == file.length()) {
      throw new MalformedEvent(
          "its binlog file '" + file + "' does not end in its index (such as mysql-bin.000003)");
    }
    BigInteger index = new BigInteger(file.substring(digits));
    Object posValue = source.get("pos");
    if (posValue == null) {
      throw new MalformedEvent("its source block has no binlog pos");
    }
    BigInteger pos = whole(posValue, "source.pos");
    BigInteger row =
        source.get("row") == null ? BigInteger.ZERO : whole(source.get("row"), "source.row");
    if (pos.compareTo(MAX_POS) >= 0 || row.compareTo(ROWS) >= 0) {
      throw new MalformedEvent("its binlog pos " + pos + " or row " + row + " is out of range");
    }
    return index.multiply(SHIFT).add(pos.multiply(ROWS)).add(row);
  }

  private static BigInteger whole(Object value, String what) {
    try {
      BigInteger number =
          value instanceof BigDecimal decimal
              ? decimal.toBigIntegerExact()
              : new BigInteger(String.valueOf(value).trim());
      if (number.signum() >= 0) {
        return number;
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // Reported below.
    }
    throw new MalformedEvent(
        "its " + what + " holds " + JsonTree.write(value) + ", not a position");
  }
}
