package dev.conform.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.conform.examples.GeneratorOptions.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerDataGeneratorTest {
  private static final long RECORDS = 20_000;
  private static final int BATCHES = 5;

  @TempDir Path temp;

  private List<Path> generate(Path out, Format format, long seed) throws Exception {
    GeneratorOptions options =
        new GeneratorOptions(
            RECORDS, out, BATCHES, GeneratorOptions.defaultBatchRecords(RECORDS), format, seed);
    return new CustomerDataGenerator(options).generate().stream().map(GeneratedFile::path).toList();
  }

  @Test
  void writesTheInitialLoadAndBatchesWithTheSeedsSizes() throws Exception {
    List<Path> files = generate(temp, Format.PARQUET, 42);

    assertThat(files)
        .extracting(f -> temp.relativize(f).toString().replace('\\', '/'))
        .containsExactly(
            "customers/initial.parquet",
            "customers/batch-0001.parquet",
            "customers/batch-0002.parquet",
            "customers/batch-0003.parquet",
            "customers/batch-0004.parquet",
            "customers/batch-0005.parquet");
    CustomerFiles.Summary initial = CustomerFiles.summary(files.subList(0, 1));
    assertThat(initial.rows()).isEqualTo(RECORDS);
    assertThat(initial.customers()).isEqualTo(RECORDS / 10);
    assertThat(initial.minTxnId()).isEqualTo(1);
    assertThat(initial.maxTxnId()).isEqualTo(RECORDS);
    for (int batch = 1; batch <= BATCHES; batch++) {
      CustomerFiles.Summary summary = CustomerFiles.summary(files.subList(batch, batch + 1));
      assertThat(summary.rows()).as("batch %d", batch).isEqualTo(RECORDS / 1000);
      assertThat(summary.minTxnId()).isEqualTo(RECORDS + (batch - 1) * RECORDS / 1000 + 1);
    }
    CustomerFiles.Summary all = CustomerFiles.summary(files);
    assertThat(all.distinctTxnIds()).isEqualTo(all.rows()).isEqualTo(RECORDS + BATCHES * 20);
  }

  @Test
  void numbersFilesAndLinesAndKeepsTransactionIdsIncreasing() throws Exception {
    List<Path> files = generate(temp, Format.PARQUET, 42);
    for (int file = 0; file < files.size(); file++) {
      String scan = "read_parquet('" + files.get(file).toAbsolutePath() + "')";
      List<Long> check =
          CustomerFiles.queryLongs(
              "SELECT count(*) FILTER (WHERE file_no <> "
                  + file
                  + "), count(*) FILTER (WHERE txn_id - line_no <> min_txn - 1),"
                  + " count(*) FILTER (WHERE line_no <> rn)"
                  + " FROM (SELECT *, min(txn_id) OVER () AS min_txn,"
                  + " row_number() OVER () AS rn FROM "
                  + scan
                  + ")");
      assertThat(check)
          .as("file %d: wrong file_no, txn_id/line_no, order", file)
          .containsExactly(0L, 0L, 0L);
    }
  }

  @Test
  void batchesHoldTheSeedsShareOfBackdatedDuplicateAndNewRecords() throws Exception {
    List<Path> files = generate(temp, Format.PARQUET, 7);
    long rows = 0;
    long backdated = 0;
    long duplicates = 0;
    long newCustomers = 0;
    long later = 0;
    for (int batch = 1; batch <= BATCHES; batch++) {
      CustomerFiles.Shares shares =
          CustomerFiles.shares(new ArrayList<>(files.subList(0, batch)), files.get(batch));
      rows += shares.rows();
      backdated += shares.backdated();
      duplicates += shares.duplicates();
      newCustomers += shares.newCustomers();
      later += shares.later();
    }
    assertThat(rows).isEqualTo(100);
    assertThat(backdated + duplicates + newCustomers + later).isEqualTo(rows);
    assertThat(backdated / (double) rows).isCloseTo(0.25, within(0.02));
    assertThat(duplicates / (double) rows).isCloseTo(0.10, within(0.02));
    assertThat(newCustomers / (double) rows).isCloseTo(0.05, within(0.02));
    assertThat(later / (double) rows).isCloseTo(0.60, within(0.02));
  }

  @Test
  void sameSeedGivesSameRowsAndAnotherSeedDifferentOnes() throws Exception {
    CustomerFiles.Summary first =
        CustomerFiles.summary(generate(temp.resolve("a"), Format.PARQUET, 42));
    CustomerFiles.Summary again =
        CustomerFiles.summary(generate(temp.resolve("b"), Format.PARQUET, 42));
    CustomerFiles.Summary other =
        CustomerFiles.summary(generate(temp.resolve("c"), Format.PARQUET, 43));

    assertThat(again).isEqualTo(first);
    assertThat(other.checksum()).isNotEqualTo(first.checksum());
    assertThat(other.rows()).isEqualTo(first.rows());
  }

  @Test
  void csvHoldsTheSameRowsAsParquet() throws Exception {
    List<Path> csv = generate(temp.resolve("csv"), Format.CSV, 42);
    List<Path> parquet = generate(temp.resolve("parquet"), Format.PARQUET, 42);

    assertThat(csv.get(0).getFileName().toString()).isEqualTo("initial.csv");
    assertThat(CustomerFiles.summary(csv)).isEqualTo(CustomerFiles.summary(parquet));
  }

  @Test
  void parsesCommandLineOptions() {
    GeneratorOptions options =
        GeneratorOptions.parse(
            "--records",
            "2_000",
            "--out",
            "data",
            "--batches",
            "2",
            "--batch-records",
            "40",
            "--format",
            "csv",
            "--seed",
            "9");

    assertThat(options)
        .isEqualTo(new GeneratorOptions(2000, Path.of("data"), 2, 40, Format.CSV, 9));
    assertThat(GeneratorOptions.parse("--records", "200000000", "--out", "x"))
        .isEqualTo(GeneratorOptions.of(200_000_000, Path.of("x")));
    assertThat(GeneratorOptions.of(200_000_000, Path.of("x")).batchRecords()).isEqualTo(200_000);
  }

  @Test
  void rejectsBadCommandLineOptions() {
    assertThatThrownBy(() -> GeneratorOptions.parse("--records", "10", "--out", "x", "--fast", "y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown option: --fast");
    assertThatThrownBy(() -> GeneratorOptions.parse("--records", "ten", "--out", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --records: ten");
    assertThatThrownBy(() -> GeneratorOptions.parse("--records", "10", "--format", "orc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --format: orc (use parquet or csv)");
    assertThatThrownBy(() -> GeneratorOptions.parse("--records", "10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Missing --records or --out");
  }
}
