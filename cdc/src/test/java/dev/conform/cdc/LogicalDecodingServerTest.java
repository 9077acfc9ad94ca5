package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.testing.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server that cannot decode tells the user: each test starts a PostgreSQL of its own, set up
 * the way that fails, and closes it after.
 */
class LogicalDecodingServerTest {
  @TempDir Path folder;

  @Test
  void aServerWithoutLogicalWalLevelSaysHowToSetIt() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      String url = server.getJdbcUrl("postgres", "postgres");
      Sql.execute(url, "CREATE TABLE customers (id int PRIMARY KEY)");
      ChangeCapture capture = capture(url);

      assertThatThrownBy(() -> capture.capture(request()))
          .isInstanceOf(ExtractFailure.class)
          .hasMessageStartingWith(
              "Cannot read source 'crm.customers' (table 'customers' through connection 'crm'"
                  + " (postgresql, jdbc:postgresql://localhost:")
          .hasMessageEndingWith(
              "): the server's wal_level is 'replica', but logical decoding needs 'logical'; set"
                  + " wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level ="
                  + " logical) and restart the server");
      assertThatThrownBy(capture::describe).hasMessageContaining("wal_level is 'replica'");
    }
  }

  @Test
  void aServerOutOfReplicationSlotsSaysToRaiseTheLimitOrDropSlots() throws Exception {
    try (EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "1")
            .start()) {
      String url = server.getJdbcUrl("postgres", "postgres");
      Sql.execute(
          url,
          "CREATE TABLE customers (id int PRIMARY KEY)",
          "SELECT pg_create_logical_replication_slot('someone_else', 'pgoutput')");
      ChangeCapture capture = capture(url);

      assertThatThrownBy(() -> capture.capture(request()))
          .isInstanceOf(ExtractFailure.class)
          .hasMessageStartingWith("Cannot read source 'crm.customers' (table 'customers'")
          .hasMessageEndingWith(
              "): cannot create replication slot conform_t_full_1: all replication slots are in"
                  + " use; raise max_replication_slots in postgresql.conf and restart the server,"
                  + " or drop slots no longer used (SELECT pg_drop_replication_slot(slot_name)"
                  + " FROM pg_replication_slots WHERE NOT active AND slot_name = '...')");
    }
  }

  private static ChangeCapture capture(String url) {
    return new LogicalDecodingCapture(
        LogicalDecodingCaptureTest.request("customers", url),
        List.of(),
        Optional.empty(),
        "conform_t_full");
  }

  private CaptureRequest request() {
    return new CaptureRequest(Map.of(), false, folder.resolve("landing.jsonl"), rows -> {});
  }
}
