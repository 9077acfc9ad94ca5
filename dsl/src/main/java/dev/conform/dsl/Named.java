package dev.conform.dsl;

/** A name with the place it was written. */
public record Named(String name, Position position) {
  public Named {
    java.util.Objects.requireNonNull(name, "name is null");
    java.util.Objects.requireNonNull(position, "position is null");
  }

  @Override
  public String toString() {
    return name;
  }
}
