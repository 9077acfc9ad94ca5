package dev.conform.planner;

import static dev.conform.planner.GoldenScenario.row;

import dev.conform.planner.GoldenScenario.Batch;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The data each golden case runs on real engines: a first load, then an incremental batch with a
 * backdated row, and what the target and reject tables must hold after each. Surrogate keys are
 * computed here from the documented rule (15 hex digits of the MD5 of the version's identity), so
 * every engine must produce the same ones.
 */
final class GoldenScenarios {
  private GoldenScenarios() {}

  static Optional<GoldenScenario> forCase(String name) {
    return switch (name) {
      case "scd2-seed-customer" -> Optional.of(seedCustomer());
      case "scd2-track-tombstone" -> Optional.of(trackTombstone());
      case "scd1-basic" -> Optional.of(type1Basic());
      case "scd2-checks-fail" -> Optional.of(checksFail());
      default -> Optional.empty();
    };
  }

  /**
   * The seed's rules: every transaction is a version; the same customer and effective date give the
   * lower txn_id a zero-length version; a backdated transaction splits history; a re-delivered
   * transaction changes nothing.
   */
  private static GoldenScenario seedCustomer() {
    // txn_id, file_no, line_no, customer_id, effective_date
    List<List<String>> first =
        List.of(
            row("1", "1", "1", "100", "2024-01-01 00:00:00"),
            row("2", "1", "2", "100", "2024-03-01 00:00:00"),
            row("3", "1", "3", "200", "2024-02-01 00:00:00"),
            row("4", "1", "4", "200", "2024-02-01 00:00:00"));
    List<String> c100a = seedVersion("100", "1", "1", "1", "2024-01-01", "2024-03-01", false);
    List<String> c100b = seedVersion("100", "2", "1", "2", "2024-03-01", "9999-12-31", true);
    List<String> c200a = seedVersion("200", "3", "1", "3", "2024-02-01", "2024-02-01", false);
    List<String> c200b = seedVersion("200", "4", "1", "4", "2024-02-01", "9999-12-31", true);
    List<List<String>> second =
        List.of(
            row("5", "2", "1", "100", "2024-02-01 00:00:00"),
            row("6", "2", "2", "300", "2024-04-01 00:00:00"),
            row("2", "1", "2", "100", "2024-03-01 00:00:00"));
    List<String> c100split = seedVersion("100", "1", "1", "1", "2024-01-01", "2024-02-01", false);
    List<String> c100backdated =
        seedVersion("100", "5", "2", "1", "2024-02-01", "2024-03-01", false);
    List<String> c300 = seedVersion("300", "6", "2", "2", "2024-04-01", "9999-12-31", true);
    return new GoldenScenario(
        "customer",
        List.of(
            "customer_sk",
            "customer_id",
            "txn_id",
            "file_no",
            "line_no",
            "valid_from",
            "valid_to",
            "is_current"),
        List.of(
            new Batch(
                "first load, with two transactions at the same date",
                first,
                List.of(c100a, c100b, c200a, c200b),
                List.of(),
                Optional.empty()),
            new Batch(
                "a backdated transaction, a new customer and a re-delivered transaction",
                second,
                List.of(c100split, c100backdated, c100b, c200a, c200b, c300),
                List.of(),
                Optional.empty())));
  }

  private static List<String> seedVersion(
      String customer,
      String txn,
      String file,
      String line,
      String from,
      String to,
      boolean current) {
    String validFrom = from + " 00:00:00";
    long sk = ReferenceScd.hash64(Arrays.asList(customer, validFrom, txn, "U", txn, file, line));
    return row(
        Long.toString(sk),
        customer,
        txn,
        file,
        line,
        validFrom,
        to + " 00:00:00",
        Boolean.toString(current));
  }

  /**
   * Tracked and untracked columns, tombstones, a where filter and quarantined check failures: an
   * untracked change overwrites in place until a backdated tracked change splits the version; a key
   * comes back after its tombstone.
   */
  private static GoldenScenario trackTombstone() {
    // customer_id, first_name, last_name, plan_code, city, op, updated_at, txn_id
    List<List<String>> first =
        List.of(
            row("1", "Amal", "Hassan", "PRE", "cairo", "U", "2024-01-01 10:00:00", "1"),
            row("1", "Amal", "Hassan-Ali", "PRE", "cairo", "U", "2024-02-01 00:00:00", "2"),
            row("2", "Omar", "Said", "POST", "giza", "U", "2024-01-05 00:00:00", "3"),
            row("2", null, null, null, null, "D", "2024-03-01 00:00:00", "4"),
            row("3", null, "Nour", "PRE", "alex", "U", "2024-01-10 00:00:00", "5"),
            row("9001", "Test", "Account", "PRE", "cairo", "U", "2024-01-01 00:00:00", "6"),
            row("4", "Mona", "Adel", "GOLD", "cairo", "U", "2024-01-01 00:00:00", "7"),
            row("6", "Sara", "Ali", "PRE", "cairo", "U", null, "8"));
    List<String> amalInPlace =
        subscriber(
            "1",
            "1",
            "U",
            "Amal Hassan-Ali",
            "prepaid",
            "CAIRO",
            "2024-01-01 10:00:00",
            null,
            true);
    List<String> omar =
        subscriber(
            "2",
            "3",
            "U",
            "Omar Said",
            "postpaid",
            "GIZA",
            "2024-01-05 00:00:00",
            "2024-03-01 00:00:00",
            false);
    List<String> omarDeleted =
        subscriber("2", "4", "D", null, null, null, "2024-03-01 00:00:00", null, true);
    List<List<String>> firstRejects =
        List.of(
            row("1", "row 5", "check failed: not_null(first_name)"),
            row("1", "row 7", "check failed: accepted_values(plan_code, ['PRE', 'POST'])"),
            row("1", "row 8", "sequence 'updated_at' is null"));

    List<List<String>> second =
        List.of(
            row("1", "Amal", "Hassan-Ali", "POST", "cairo", "U", "2024-01-15 00:00:00", "9"),
            row("2", "Omar", "Said", "POST", "giza", "U", "2024-04-01 00:00:00", "10"),
            row("3", "Nour", "Fathy", "PRE", "alex", "U", "2024-01-10 00:00:00", "11"),
            row("2", "Omar", "Said", "POST", "giza", "U", "2024-01-05 00:00:00", "3"),
            row("6", "Sara", "Ali", "PRE", "cairo", "U", "2024-01-20 00:00:00", "12"));
    List<String> amalFirst =
        subscriber(
            "1",
            "1",
            "U",
            "Amal Hassan",
            "prepaid",
            "CAIRO",
            "2024-01-01 10:00:00",
            "2024-01-15 00:00:00",
            false);
    List<String> amalBackdated =
        subscriber(
            "1",
            "9",
            "U",
            "Amal Hassan-Ali",
            "postpaid",
            "CAIRO",
            "2024-01-15 00:00:00",
            "2024-02-01 00:00:00",
            false);
    List<String> amalCurrent =
        subscriber(
            "1",
            "2",
            "U",
            "Amal Hassan-Ali",
            "prepaid",
            "CAIRO",
            "2024-02-01 00:00:00",
            null,
            true);
    List<String> omarDeletedClosed =
        subscriber(
            "2", "4", "D", null, null, null, "2024-03-01 00:00:00", "2024-04-01 00:00:00", false);
    List<String> omarBack =
        subscriber(
            "2", "10", "U", "Omar Said", "postpaid", "GIZA", "2024-04-01 00:00:00", null, true);
    List<String> nour =
        subscriber(
            "3", "11", "U", "Nour Fathy", "prepaid", "ALEX", "2024-01-10 00:00:00", null, true);
    List<String> sara =
        subscriber(
            "6", "12", "U", "Sara Ali", "prepaid", "CAIRO", "2024-01-20 00:00:00", null, true);
    return new GoldenScenario(
        "dim_subscriber",
        List.of(
            "subscriber_sk",
            "customer_id",
            "full_name",
            "plan",
            "city",
            "valid_from",
            "valid_to",
            "is_current",
            "is_deleted"),
        List.of(
            new Batch(
                "first load: in-place change, tombstone, filtered and quarantined rows",
                first,
                List.of(amalInPlace, omar, omarDeleted),
                firstRejects,
                Optional.empty()),
            new Batch(
                "a backdated tracked change, a key back after its tombstone, fixed rows",
                second,
                List.of(
                    amalFirst,
                    amalBackdated,
                    amalCurrent,
                    omar,
                    omarDeletedClosed,
                    omarBack,
                    nour,
                    sara),
                firstRejects,
                Optional.empty())));
  }

  private static List<String> subscriber(
      String customer,
      String firstTxn,
      String operation,
      String fullName,
      String plan,
      String city,
      String from,
      String to,
      boolean current) {
    long sk = ReferenceScd.hash64(Arrays.asList(customer, from, firstTxn, operation, plan, city));
    return row(
        Long.toString(sk),
        customer,
        fullName,
        plan,
        city,
        from,
        to,
        Boolean.toString(current),
        Boolean.toString(operation.equals("D")));
  }

  /**
   * Type 1: the last event by sequence wins; a late, older event never overwrites a newer one, and
   * a key deleted at sequence s stays deleted against late events older than s.
   */
  private static GoldenScenario type1Basic() {
    // account_id, status, balance, op, log_seq
    List<List<String>> first =
        List.of(
            row("10", "active", "100.00", "U", "1"),
            row("10", "suspended", "80.50", "U", "3"),
            row("20", "active", "5.00", "U", "2"),
            row("30", "active", "0.00", "U", "1"),
            row("30", null, null, "D", "4"));
    List<List<String>> second =
        List.of(
            row("10", "active", "90.00", "U", "2"),
            row("20", "closed", "0.00", "U", "5"),
            row("30", "active", "1.00", "U", "2"),
            row("40", "active", "12.34", "U", "1"),
            row(null, "active", "1.00", "U", "6"));
    return new GoldenScenario(
        "dim_account",
        List.of("account_sk", "account_id", "status", "balance"),
        List.of(
            new Batch(
                "first load: an update and a delete",
                first,
                List.of(account("10", "suspended", "80.50"), account("20", "active", "5.00")),
                List.of(),
                Optional.empty()),
            new Batch(
                "late events older than an update and a delete, a new key, a row without key",
                second,
                List.of(
                    account("10", "suspended", "80.50"),
                    account("20", "closed", "0.00"),
                    account("40", "active", "12.34")),
                List.of(row("2", "row 5", "business key column 'account_id' is null")),
                Optional.empty())));
  }

  private static List<String> account(String id, String status, String balance) {
    return row(Long.toString(ReferenceScd.hash64(List.of(id))), id, status, balance);
  }

  /**
   * A composite key, a date sequence, no surrogate key, open versions ending in NULL; a batch with
   * rows failing a check fails the run and changes nothing, not even the reject table.
   */
  private static GoldenScenario checksFail() {
    // plan_code, market, plan_name, monthly_fee, effective_on
    List<List<String>> first =
        List.of(
            row("PRE10", "EG", "Prepaid 10", "10.00", "2024-01-01"),
            row("PRE10", "EG", "Prepaid 10", "12.00", "2024-06-01"),
            row("PRE10", "SA", "Prepaid 10 SA", "15.00", "2024-01-01"));
    List<String> egFirst =
        row("PRE10", "EG", "Prepaid 10", "10.00", "2024-01-01", "2024-06-01", "false");
    List<String> egCurrent = row("PRE10", "EG", "Prepaid 10", "12.00", "2024-06-01", null, "true");
    List<String> sa = row("PRE10", "SA", "Prepaid 10 SA", "15.00", "2024-01-01", null, "true");
    List<List<String>> second = List.of(row("PRE10", "EG", "Prepaid 10", "11.00", "2024-03-01"));
    List<String> egSplit =
        row("PRE10", "EG", "Prepaid 10", "10.00", "2024-01-01", "2024-03-01", "false");
    List<String> egBackdated =
        row("PRE10", "EG", "Prepaid 10", "11.00", "2024-03-01", "2024-06-01", "false");
    List<List<String>> third =
        List.of(
            row("PRE10", "SA", "Prepaid 10 SA", "-1.00", "2024-07-01"),
            row("POST20", "EG", null, "20.00", "2024-07-01"),
            row(null, "EG", "Nameless", "1.00", "2024-07-01"));
    List<List<String>> afterSecond = List.of(egSplit, egBackdated, egCurrent, sa);
    return new GoldenScenario(
        "dim_price_plan",
        List.of(
            "plan_code",
            "market",
            "plan_name",
            "monthly_fee",
            "valid_from",
            "valid_to",
            "is_current"),
        List.of(
            new Batch(
                "first load", first, List.of(egFirst, egCurrent, sa), List.of(), Optional.empty()),
            new Batch("a backdated price", second, afterSecond, List.of(), Optional.empty()),
            new Batch(
                "two rows failing checks and one without key",
                third,
                afterSecond,
                List.of(),
                Optional.of(
                    "2 row(s) of source 'price_plans' failed a check of dimension"
                        + " 'dim_price_plan' (on_check_failure: fail); nothing was changed"))));
  }
}
