package dev.conform.examples;

import java.util.Locale;

/**
 * The DuckDB queries that generate the seed's customer change records set-based, one row per number
 * of {@code range(n)}, with pseudo-random values taken from {@code hash(seed, file, row, salt)}.
 *
 * <p>The initial load has {@code records} rows over {@code customers} customers: row {@code i}
 * belongs to customer {@code i % customers + 1} and is that customer's {@code k = i / customers}-th
 * record, dated in the {@code k}-th slot of 2000-01-01 to 2020-01-01 at a random day in the slot's
 * first 60% and a random second of that day. Because a record's date is a function of its row
 * number, a batch can find any customer's initial dates again without reading the initial file.
 *
 * <p>A batch ranks its rows by a hash and gives the first 25% a backdated date (1 day up to 30% of
 * a slot before one of the customer's initial records, so it lands inside an existing version), the
 * next 10% the exact date of one of the customer's initial records, the next 5% a new customer, and
 * the rest a date in the batch's own 30-day window after 2020-01-01, later than anything before.
 */
final class CustomerEventQueries {
  static final String COLUMNS = "txn_id, file_no, line_no, customer_id, effective_date";
  static final int BACKDATED_PERCENT = 25;
  static final int DUPLICATE_PERCENT = 10;
  static final int NEW_CUSTOMER_PERCENT = 5;

  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  /** 2000-01-01 00:00:00 in microseconds since the epoch. */
  private static final long INITIAL_START = 946_684_800L * MICROS_PER_SECOND;

  /** 2020-01-01 00:00:00 in microseconds since the epoch. */
  private static final long BATCH_START = 1_577_836_800L * MICROS_PER_SECOND;

  private static final long INITIAL_DAYS = 7_300;
  private static final long BATCH_WINDOW_DAYS = 30;

  private final GeneratorOptions options;
  private final long customers;
  private final long slotDays;
  private final long jitterDays;
  private final long backdateDays;

  CustomerEventQueries(GeneratorOptions options) {
    this.options = options;
    this.customers = options.customers();
    long recordsPerCustomer = (options.records() + customers - 1) / customers;
    this.slotDays = INITIAL_DAYS / recordsPerCustomer;
    // A slot's records fall in its first 60%, so consecutive records are at least 40% of a slot
    // apart, and a backdated record moved back by at most 30% of a slot stays between them.
    this.jitterDays = Math.max(1, slotDays * 6 / 10);
    this.backdateDays = Math.max(1, slotDays * 3 / 10);
  }

  /**
   * The rows of the initial load, file number 0, in transaction id order: {@code range} produces
   * them in order and DuckDB's COPY keeps insertion order, so no sort is needed (sorting 200
   * million rows would cost more than generating them).
   */
  String initial() {
    return format(
        """
        SELECT i + 1 AS txn_id,
               0::INTEGER AS file_no,
               (i + 1)::INTEGER AS line_no,
               (i %% %d + 1)::BIGINT AS customer_id,
               make_timestamp(%s) AS effective_date
        FROM (SELECT range AS i, %s AS h FROM range(%d))
        """,
        customers, initialMicros("i", "h"), hash(0, "range", 0), options.records());
  }

  /** The rows of batch {@code batch} (1-based): its file number, ordered by transaction id. */
  String batch(int batch) {
    long rows = options.batchRecords();
    long backdated = rows * BACKDATED_PERCENT / 100;
    long duplicates = rows * DUPLICATE_PERCENT / 100;
    long newCustomers = rows * NEW_CUSTOMER_PERCENT / 100;
    long firstTxnId = options.records() + (batch - 1L) * rows + 1;
    long firstNewCustomer = customers + (batch - 1L) * rows + 1;
    long windowStart = BATCH_START + (batch - 1L) * BATCH_WINDOW_DAYS * MICROS_PER_DAY;
    return format(
        """
        WITH numbered AS (
          SELECT range AS r, %s AS rank_hash, %s AS customer_hash, %s AS record_hash,
                 %s AS date_hash
          FROM range(%d)
        ), ranked AS (
          SELECT *, row_number() OVER (ORDER BY rank_hash, r) - 1 AS q,
                 customer_hash %% %d AS c0
          FROM numbered
        ), anchored AS (
          SELECT *,
                 CASE WHEN q < %d THEN 'backdated'
                      WHEN q < %d THEN 'duplicate'
                      WHEN q < %d THEN 'new'
                      ELSE 'later' END AS kind,
                 c0 + record_hash %% ((%d - 1 - c0) // %d + 1) * %d AS anchor
          FROM ranked
        ), hashed AS (
          SELECT *, %s AS anchor_hash FROM anchored
        )
        SELECT %d + r AS txn_id,
               %d::INTEGER AS file_no,
               (r + 1)::INTEGER AS line_no,
               (CASE WHEN kind = 'new' THEN %d + r ELSE c0 + 1 END)::BIGINT AS customer_id,
               make_timestamp(CASE kind
                 WHEN 'backdated' THEN %s - (1 + date_hash %% %d) * %d
                 WHEN 'duplicate' THEN %s
                 ELSE %d + date_hash %% %d * %d END) AS effective_date
        FROM hashed
        ORDER BY r
        """,
        hash(batch, "range", 0),
        hash(batch, "range", 1),
        hash(batch, "range", 2),
        hash(batch, "range", 3),
        rows,
        customers,
        backdated,
        backdated + duplicates,
        backdated + duplicates + newCustomers,
        options.records(),
        customers,
        customers,
        hash(0, "anchor", 0),
        firstTxnId,
        batch,
        firstNewCustomer,
        initialMicros("anchor", "anchor_hash"),
        backdateDays,
        MICROS_PER_DAY,
        initialMicros("anchor", "anchor_hash"),
        windowStart,
        BATCH_WINDOW_DAYS * 86_400L,
        MICROS_PER_SECOND);
  }

  /**
   * The effective date, in microseconds, of initial row {@code row}, whose hash (salt 0) is {@code
   * rowHash}.
   */
  private String initialMicros(String row, String rowHash) {
    return format(
        "(%d + (%s // %d) * %d + (%s %% %d) * %d + ((%s // %d) %% 86400) * %d)",
        INITIAL_START,
        row,
        customers,
        slotDays * MICROS_PER_DAY,
        rowHash,
        jitterDays,
        MICROS_PER_DAY,
        rowHash,
        jitterDays,
        MICROS_PER_SECOND);
  }

  /** A non-negative BIGINT that depends only on the seed, the file, the row and a salt. */
  private String hash(int file, String row, int salt) {
    return format(
        "(hash(%d::BIGINT, %d::BIGINT, (%s)::BIGINT, %d::BIGINT) >> 1)::BIGINT",
        options.seed(), file, row, salt);
  }

  private static String format(String template, Object... values) {
    return String.format(Locale.ROOT, template, values);
  }
}
