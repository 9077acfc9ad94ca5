package dev.conform.catalog;

/**
 * Thrown when the catalog cannot be opened, read or written; the message says what failed and,
 * where the user can act on it, how to fix it.
 */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
