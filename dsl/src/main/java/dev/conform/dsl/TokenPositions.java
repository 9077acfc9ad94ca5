package dev.conform.dsl;

import org.antlr.v4.runtime.Token;

/** Maps an ANTLR line (1-based) and column (0-based) to a place in a spec file. */
@FunctionalInterface
interface TokenPositions {
  Position at(int line, int charPositionInLine);

  default Position at(Token token) {
    return at(token.getLine(), token.getCharPositionInLine());
  }

  /** Positions in a whole file parsed by ANTLR. */
  static TokenPositions inFile(String file) {
    return (line, column) -> Position.fromAntlr(file, line, column);
  }

  /** Positions in a text that starts at {@code start} inside a larger file (a YAML scalar). */
  static TokenPositions from(Position start) {
    return (line, column) -> {
      if (start.equals(Position.NONE)) {
        return Position.NONE;
      }
      return line == 1
          ? start.shift(column)
          : Position.fromAntlr(start.file(), start.line() + line - 1, column);
    };
  }
}
