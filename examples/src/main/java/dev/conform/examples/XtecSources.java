package dev.conform.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * XTec's operational sources for the change-capture example ({@code examples/xtec/cdc}): the CRM on
 * MariaDB (customers, read by audit column; their plans, read from a trigger-fed change log),
 * billing on PostgreSQL (accounts, read by logical decoding) and charging's daily full balance
 * files (read by snapshot diff). {@code setup} creates them with day 0; each {@code day} applies
 * one business day of changes: new customers, moves, suspensions, plan changes (some made twice in
 * a day, one taken back the same day), closed accounts, a CRM update stamped two minutes late by a
 * skewed application server, and the day's balance file. The same day always makes the same
 * changes.
 *
 * <pre>
 * XtecSources setup|day CRM_JDBC_URL BILLING_JDBC_URL CHARGING_FOLDER
 * </pre>
 */
public final class XtecSources {
  private static final LocalDate DAY_ZERO = LocalDate.of(2024, 3, 1);
  private static final String[] FIRST = {
    "Amira", "Omar", "Laila", "Youssef", "Nour", "Hany", "Salma", "Karim", "Mona", "Tarek"
  };
  private static final String[] LAST = {
    "Hassan", "Farouk", "Mansour", "Adel", "Saleh", "Ibrahim", "Nabil", "Fathy", "Zaki", "Said"
  };
  private static final String[] CITIES = {
    "Cairo", "Alexandria", "Giza", "Luxor", "Aswan", "Tanta", "Mansoura", "Suez"
  };
  private static final String[] PLANS = {"PRE", "POST", "BIZ"};
  private static final String[] PAYMENT = {"card", "direct_debit", "cash"};

  private final String crmUrl;
  private final String billingUrl;
  private final Path charging;
  private final PrintStream out;

  /** The CRM's clock: business time of the day being made, a minute further at each change. */
  private LocalDateTime clock = DAY_ZERO.atTime(8, 0);

  XtecSources(String crmUrl, String billingUrl, Path charging, PrintStream out) {
    this.crmUrl = crmUrl;
    this.billingUrl = billingUrl;
    this.charging = charging;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !(args[0].equals("setup") || args[0].equals("day"))) {
      System.err.println(
          "usage: XtecSources setup|day CRM_JDBC_URL BILLING_JDBC_URL CHARGING_FOLDER");
      System.exit(2);
    }
    XtecSources sources = new XtecSources(args[1], args[2], Path.of(args[3]), System.out);
    try {
      if (args[0].equals("setup")) {
        sources.setup();
      } else {
        sources.nextDay();
      }
    } catch (SQLException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Creates the sources anew with day 0: 40 customers with plans, accounts and balances. */
  void setup() throws SQLException, IOException {
    try (Connection crm = DriverManager.getConnection(crmUrl);
        Statement s = crm.createStatement()) {
      for (String table :
          List.of("customer_plans_changes", "customer_plans", "customers", "xtec_day")) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
      s.execute(
          "CREATE TABLE customers (customer_id int PRIMARY KEY, first_name varchar(40) NOT NULL,"
              + " last_name varchar(40) NOT NULL, city varchar(40), status varchar(12) NOT NULL,"
              + " updated_at timestamp(6) NOT NULL DEFAULT current_timestamp(6)"
              + " ON UPDATE current_timestamp(6))");
      s.execute(
          "CREATE TABLE customer_plans (customer_id int PRIMARY KEY, plan_code varchar(8) NOT NULL,"
              + " monthly_fee decimal(8,2) NOT NULL, contract_end date)");
      s.execute("CREATE TABLE xtec_day (day int NOT NULL)");
      s.execute("INSERT INTO xtec_day VALUES (0)");
    }
    try (Connection billing = DriverManager.getConnection(billingUrl);
        Statement s = billing.createStatement()) {
      s.execute("DROP TABLE IF EXISTS accounts");
      s.execute(
          "CREATE TABLE accounts (account_id int PRIMARY KEY, customer_id int NOT NULL,"
              + " payment_method text NOT NULL, credit_limit numeric(10,2) NOT NULL,"
              + " billing_day smallint NOT NULL)");
    }
    Random random = new Random(0);
    for (int id = 1001; id <= 1040; id++) {
      newCustomer(id, random, 0);
    }
    writeBalances(0);
    out.println(
        "day 0 ("
            + DAY_ZERO
            + "): 40 customers in the CRM, their plans, 40 billing accounts, "
            + charging.resolve(balanceFile(0)));
  }

  /** Applies the next day's changes to every source and writes its balance file. */
  void nextDay() throws SQLException, IOException {
    int day;
    try (Connection crm = DriverManager.getConnection(crmUrl);
        Statement s = crm.createStatement();
        ResultSet rs = s.executeQuery("SELECT day FROM xtec_day")) {
      rs.next();
      day = rs.getInt(1) + 1;
      s.execute("UPDATE xtec_day SET day = " + day);
    }
    Random random = new Random(day);
    clock = DAY_ZERO.plusDays(day).atTime(9, 0);
    List<Integer> customers =
        ids(crmUrl, "SELECT customer_id FROM customers WHERE status <> 'closed'");
    int next = ids(crmUrl, "SELECT max(customer_id) FROM customers").get(0) + 1;
    List<String> done = new ArrayList<>();
    // Two new customers, with plans and accounts.
    for (int i = 0; i < 2; i++) {
      newCustomer(next + i, random, day);
    }
    done.add("2 new customers (" + next + ", " + (next + 1) + ")");
    try (Connection crm = DriverManager.getConnection(crmUrl)) {
      // An application server whose clock runs two minutes slow commits an update just after the
      // last run: its stamp is below the mark that run stored, within the source's lookback.
      LocalDateTime mark = lastStamp(crm);
      int skewed = pick(customers, random);
      update(
          crm,
          "UPDATE customers SET last_name = concat(last_name, '-', ?), updated_at = ?"
              + " WHERE customer_id = ?",
          LAST[random.nextInt(LAST.length)],
          mark.minusMinutes(2),
          skewed);
      int moved = pick(customers, random);
      update(
          crm,
          "UPDATE customers SET city = ?, updated_at = ? WHERE customer_id = ?",
          city(random),
          tick(),
          moved);
      int suspended = pick(customers, random);
      update(
          crm,
          "UPDATE customers SET status = 'suspended', updated_at = ? WHERE customer_id = ?",
          tick(),
          suspended);
      done.add(
          "customer "
              + moved
              + " moved, "
              + suspended
              + " suspended, "
              + skewed
              + " renamed by a server 2 minutes slow");
      int upgraded = pick(customers, random);
      update(
          crm,
          "UPDATE customer_plans SET plan_code = 'POST', monthly_fee = 30.00"
              + " WHERE customer_id = ?",
          upgraded);
      update(
          crm,
          "UPDATE customer_plans SET plan_code = 'BIZ', monthly_fee = 55.00"
              + " WHERE customer_id = ?",
          upgraded);
      int cancelled = pick(customers, random);
      update(crm, "DELETE FROM customer_plans WHERE customer_id = ?", cancelled);
      update(
          crm,
          "UPDATE customers SET status = 'closed', updated_at = ? WHERE customer_id = ?",
          tick(),
          cancelled);
      // A plan sold by mistake and taken back the same day: the change log nets it to nothing.
      update(crm, "INSERT INTO customer_plans VALUES (?, 'PRE', 10.00, NULL)", next + 1000);
      update(crm, "DELETE FROM customer_plans WHERE customer_id = ?", next + 1000);
      done.add(
          "plan of "
              + upgraded
              + " changed twice (POST, then BIZ), plan of "
              + cancelled
              + " cancelled and the customer closed, a plan sold and taken back");
      try (Connection billing = DriverManager.getConnection(billingUrl)) {
        update(
            billing,
            "UPDATE accounts SET credit_limit = credit_limit + 100" + " WHERE customer_id = ?",
            pick(customers, random));
        update(
            billing,
            "UPDATE accounts SET payment_method = 'card' WHERE customer_id = ?",
            pick(customers, random));
        update(billing, "DELETE FROM accounts WHERE customer_id = ?", cancelled);
        done.add("2 accounts changed, account of " + cancelled + " deleted");
      }
    }
    writeBalances(day);
    out.println(
        "day "
            + day
            + " ("
            + DAY_ZERO.plusDays(day)
            + "): "
            + String.join("; ", done)
            + "; "
            + charging.resolve(balanceFile(day)));
  }

  private void newCustomer(int id, Random random, int day) throws SQLException {
    try (Connection crm = DriverManager.getConnection(crmUrl)) {
      update(
          crm,
          "INSERT INTO customers (customer_id, first_name, last_name, city, status, updated_at)"
              + " VALUES (?, ?, ?, ?, 'active', ?)",
          id,
          FIRST[random.nextInt(FIRST.length)],
          LAST[random.nextInt(LAST.length)],
          city(random),
          tick());
      String plan = PLANS[random.nextInt(PLANS.length)];
      update(
          crm,
          "INSERT INTO customer_plans VALUES (?, ?, ?, ?)",
          id,
          plan,
          new BigDecimal(plan.equals("PRE") ? "10.00" : plan.equals("POST") ? "30.00" : "55.00"),
          java.sql.Date.valueOf(DAY_ZERO.plusDays(day).plusYears(1)));
    }
    try (Connection billing = DriverManager.getConnection(billingUrl)) {
      update(
          billing,
          "INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
          id + 9000,
          id,
          PAYMENT[random.nextInt(PAYMENT.length)],
          new BigDecimal(100 * (1 + random.nextInt(5))),
          (short) (1 + random.nextInt(28)));
    }
  }

  /**
   * Writes charging's full balance file of {@code day}: every billing account with its prepaid
   * balance, which moves with the day's usage (and stays put for about half the accounts).
   */
  private void writeBalances(int day) throws SQLException, IOException {
    TreeMap<Integer, String> rows = new TreeMap<>();
    try (Connection billing = DriverManager.getConnection(billingUrl);
        Statement s = billing.createStatement();
        ResultSet rs = s.executeQuery("SELECT account_id FROM accounts ORDER BY account_id")) {
      while (rs.next()) {
        int account = rs.getInt(1);
        // Half the accounts move each day: the other half keep yesterday's seed.
        Random random = new Random(account * 31L + (day + account % 2) / 2);
        BigDecimal balance = BigDecimal.valueOf(random.nextInt(10_000), 2);
        rows.put(account, account + "," + balance + ",EGP," + random.nextInt(500));
      }
    }
    Files.createDirectories(charging);
    List<String> lines = new ArrayList<>();
    lines.add("account_id,balance,currency,bonus_minutes");
    lines.addAll(rows.values());
    Files.write(charging.resolve(balanceFile(day)), lines, StandardCharsets.UTF_8);
  }

  /** The CRM's time of the next change. */
  private LocalDateTime tick() {
    clock = clock.plusMinutes(1);
    return clock;
  }

  /** The latest change the CRM stamped. */
  private static LocalDateTime lastStamp(Connection crm) throws SQLException {
    try (Statement s = crm.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(updated_at) FROM customers")) {
      rs.next();
      return rs.getTimestamp(1).toLocalDateTime();
    }
  }

  private static String balanceFile(int day) {
    return "balances_" + DAY_ZERO.plusDays(day) + ".csv";
  }

  private static String city(Random random) {
    return CITIES[random.nextInt(CITIES.length)];
  }

  private static int pick(List<Integer> ids, Random random) {
    return ids.get(random.nextInt(ids.size()));
  }

  private static List<Integer> ids(String url, String query) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static void update(Connection connection, String sql, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      statement.executeUpdate();
    }
  }
}
