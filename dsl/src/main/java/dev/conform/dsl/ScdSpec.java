package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How a dimension keeps history. {@code type} is 1 or 2. {@code sequenceBy} orders events per key;
 * {@code tieBreaker} orders events with the same sequence (highest wins). {@code track} (Type 2
 * only) lists the columns whose change opens a new version; empty means all columns. {@code
 * endOfTime} is the {@code valid_to} of open versions; empty means NULL.
 */
public record ScdSpec(
    int type,
    Expression sequenceBy,
    List<Expression> tieBreaker,
    List<Named> track,
    DeleteMode deletes,
    String validFrom,
    String validTo,
    String currentFlag,
    String deletedFlag,
    Optional<String> endOfTime,
    Position position) {

  public static final String DEFAULT_VALID_FROM = "valid_from";
  public static final String DEFAULT_VALID_TO = "valid_to";
  public static final String DEFAULT_CURRENT_FLAG = "is_current";
  public static final String DEFAULT_DELETED_FLAG = "is_deleted";

  public ScdSpec {
    requireNonNull(sequenceBy, "sequenceBy is null");
    tieBreaker = List.copyOf(tieBreaker);
    track = List.copyOf(track);
    requireNonNull(deletes, "deletes is null");
    requireNonNull(validFrom, "validFrom is null");
    requireNonNull(validTo, "validTo is null");
    requireNonNull(currentFlag, "currentFlag is null");
    requireNonNull(deletedFlag, "deletedFlag is null");
    requireNonNull(endOfTime, "endOfTime is null");
    requireNonNull(position, "position is null");
  }
}
