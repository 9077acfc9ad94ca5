package dev.conform.examples;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link CustomerDataGenerator} writes: {@code records} initial rows over {@code records / 10}
 * customers, then {@code batches} batch files of {@code batchRecords} rows each, in {@code format},
 * under {@code out/customers/}, all derived from {@code seed}.
 */
public record GeneratorOptions(
    long records, Path out, int batches, long batchRecords, Format format, long seed) {

  /** The file format written. */
  public enum Format {
    PARQUET,
    CSV;

    /** The file extension, without the dot. */
    public String extension() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String USAGE =
      "usage: CustomerDataGenerator --records N --out <dir> [--batches B] [--batch-records R]"
          + " [--format parquet|csv] [--seed S]";

  public GeneratorOptions {
    requireNonNull(out, "out is null");
    requireNonNull(format, "format is null");
    if (records < 1) {
      throw new IllegalArgumentException("Invalid records: " + records + " (must be at least 1)");
    }
    if (batches < 0) {
      throw new IllegalArgumentException("Invalid batches: " + batches + " (must be 0 or more)");
    }
    if (batchRecords < 1) {
      throw new IllegalArgumentException(
          "Invalid batch records: " + batchRecords + " (must be at least 1)");
    }
    if (records + (long) batches * batchRecords > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Invalid records: " + records + " (line numbers must fit an integer)");
    }
  }

  /** Options with the defaults: one batch of {@code records / 1000} rows, Parquet, seed 42. */
  public static GeneratorOptions of(long records, Path out) {
    return new GeneratorOptions(records, out, 1, defaultBatchRecords(records), Format.PARQUET, 42);
  }

  /** The seed's batch size: a thousandth of the initial load, at least one row. */
  public static long defaultBatchRecords(long records) {
    return Math.max(1, records / 1000);
  }

  /** The number of customers of the initial load: a tenth of its records, at least one. */
  public long customers() {
    return Math.max(1, records / 10);
  }

  /** Parses command-line arguments; throws {@link IllegalArgumentException} with the problem. */
  public static GeneratorOptions parse(String... args) {
    Long records = null;
    Path out = null;
    int batches = 1;
    Long batchRecords = null;
    Format format = Format.PARQUET;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value for " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--records" -> records = number(flag, value);
        case "--out" -> out = Path.of(value);
        case "--batches" -> batches = Math.toIntExact(number(flag, value));
        case "--batch-records" -> batchRecords = number(flag, value);
        case "--format" -> format = format(value);
        case "--seed" -> seed = number(flag, value);
        default -> throw new IllegalArgumentException("Unknown option: " + flag);
      }
    }
    if (records == null || out == null) {
      throw new IllegalArgumentException("Missing --records or --out");
    }
    return new GeneratorOptions(
        records,
        out,
        batches,
        batchRecords == null ? defaultBatchRecords(records) : batchRecords,
        format,
        seed);
  }

  private static long number(String flag, String value) {
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + flag + ": " + value, e);
    }
  }

  private static Format format(String value) {
    for (Format format : Format.values()) {
      if (format.extension().equals(value.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("Invalid --format: " + value + " (use parquet or csv)");
  }
}
