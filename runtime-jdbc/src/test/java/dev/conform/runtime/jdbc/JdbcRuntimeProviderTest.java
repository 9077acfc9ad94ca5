package dev.conform.runtime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.RuntimeProvider;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.WarehouseConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcRuntimeProviderTest {
  @TempDir Path folder;

  private static WarehouseConnection duckdb(String url, Map<String, String> properties) {
    return new WarehouseConnection("warehouse", "duckdb", url, properties);
  }

  @Test
  void isFoundByServiceLoaderAndSupportsDuckDbOnly() {
    List<RuntimeProvider> providers =
        ServiceLoader.load(RuntimeProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    assertThat(providers).hasSize(1);
    RuntimeProvider provider = providers.get(0);
    assertThat(provider.name()).isEqualTo("jdbc");
    assertThat(provider.supports("duckdb")).isTrue();
    assertThat(provider.supports("DuckDB")).isTrue();
    assertThat(provider.supports("postgresql")).isFalse();
    assertThat(provider.supports("mysql")).isFalse();
  }

  @Test
  void createsTheDatabaseFolderAndKeepsDataBetweenRuntimes() {
    Path file = folder.resolve("nested/deeper/warehouse.duckdb");
    WarehouseConnection connection = duckdb("jdbc:duckdb:" + file, Map.of());

    try (ConformRuntime runtime = new JdbcRuntimeProvider().open(connection)) {
      assertThat(runtime.dialect()).isEqualTo(SqlDialect.DUCKDB);
      DuckDbTesting.run(runtime, "setup", DuckDbTesting.sql("CREATE TABLE kept AS SELECT 1 AS id"));
    }
    try (ConformRuntime runtime = new JdbcRuntimeProvider().open(connection)) {
      assertThat(runtime.query("SELECT id FROM kept", -1).rows()).containsExactly(List.of("1"));
      assertThat(runtime.query("SELECT current_setting('temp_directory')", -1).rows())
          .containsExactly(List.of(file + ".tmp"));
    }
    assertThat(file).exists();
  }

  @Test
  void appliesPropertiesAsDuckDbSettings() {
    Map<String, String> properties = Map.of("threads", "1", "memory-limit", "512MB");

    try (ConformRuntime runtime =
        new JdbcRuntimeProvider().open(duckdb("jdbc:duckdb:", properties))) {
      assertThat(
              runtime
                  .query(
                      "SELECT current_setting('threads'), current_setting('preserve_insertion_order')",
                      -1)
                  .rows())
          .containsExactly(List.of("1", "false"));
    }
  }

  @Test
  void failsOnAnUnknownSetting() {
    assertThatThrownBy(
            () -> new JdbcRuntimeProvider().open(duckdb("jdbc:duckdb:", Map.of("treads", "2"))))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith(
            "Cannot open warehouse connection 'warehouse' (duckdb, jdbc:duckdb:): invalid setting"
                + " treads=2 (Catalog Error: unrecognized configuration parameter \"treads\"")
        .hasMessageEndingWith("; fix or remove the property");
  }

  @Test
  void failsOnAnUnsupportedConnectionType() {
    WarehouseConnection postgres =
        new WarehouseConnection(
            "warehouse", "postgresql", "jdbc:postgresql://db/x?password=secret", Map.of());

    assertThatThrownBy(() -> new JdbcRuntimeProvider().open(postgres))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot open warehouse connection 'warehouse' (postgresql,"
                + " jdbc:postgresql://db/x?password=***): the jdbc runtime does not support type"
                + " 'postgresql' (supported: duckdb)");
  }

  @Test
  void failsOnAFileThatIsNotADatabase() throws IOException {
    Path file = Files.writeString(folder.resolve("notes.duckdb"), "not a database");
    String url = "jdbc:duckdb:" + file;

    assertThatThrownBy(() -> new JdbcRuntimeProvider().open(duckdb(url, Map.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot open warehouse connection 'warehouse' (duckdb, "
                + url
                + "): the file is not a DuckDB database; point the url at a DuckDB file or a new path");
  }

  @Test
  void failsOnADatabaseLockedByAnotherProcess() throws Exception {
    Path file = folder.resolve("locked.duckdb");
    String url = "jdbc:duckdb:" + file;
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.equals("ready"));
      assertThat(line).as("the lock holder process started").isEqualTo("ready");

      assertThatThrownBy(() -> new JdbcRuntimeProvider().open(duckdb(url, Map.of())))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessage(
              "Cannot open warehouse connection 'warehouse' (duckdb, "
                  + url
                  + "): the database file is in use by another process; close it and run again");
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
  }

  @Test
  void failsOnAUrlOfAnotherDriver() {
    assertThatThrownBy(() -> new JdbcRuntimeProvider().open(duckdb("jdbc:h2:mem:x", Map.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot open warehouse connection 'warehouse' (duckdb, jdbc:h2:mem:x): a duckdb url"
                + " starts with 'jdbc:duckdb:', e.g. jdbc:duckdb:/path/warehouse.duckdb");
  }
}
