package dev.conform.cdc;

/**
 * A line of a Debezium file that cannot be read as a change event; the reader adds the file and
 * line to the message.
 */
final class MalformedEvent extends RuntimeException {
  MalformedEvent(String message) {
    super(message);
  }

  MalformedEvent(String message, Throwable cause) {
    super(message, cause);
  }
}
