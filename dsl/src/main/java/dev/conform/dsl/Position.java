package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

/**
 * A place in a spec file: 1-based line and column. Parsers that count from 0 (SnakeYAML marks,
 * ANTLR columns) convert through {@link #fromZeroBased}, nowhere else.
 */
public record Position(String file, int line, int column) implements Comparable<Position> {
  /** For values that come from no file (defaults, command-line flags). */
  public static final Position NONE = new Position("<none>", 0, 0);

  public Position {
    requireNonNull(file, "file is null");
  }

  public static Position of(String file, int line, int column) {
    return new Position(file, line, column);
  }

  /** From a 0-based line and a 0-based column. */
  public static Position fromZeroBased(String file, int line, int column) {
    return new Position(file, line + 1, column + 1);
  }

  /** From ANTLR's 1-based line and 0-based column. */
  public static Position fromAntlr(String file, int line, int charPositionInLine) {
    return new Position(file, line, charPositionInLine + 1);
  }

  /** The position {@code offset} characters to the right on the same line. */
  public Position shift(int offset) {
    return this == NONE ? NONE : new Position(file, line, column + offset);
  }

  @Override
  public int compareTo(Position other) {
    int c = file.compareTo(other.file);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(line, other.line);
    return c != 0 ? c : Integer.compare(column, other.column);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
